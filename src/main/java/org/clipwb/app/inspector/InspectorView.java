package org.clipwb.app.inspector;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.dataset.AnalysisSource;
import org.clipwb.app.ui.Styles;
import org.clipwb.core.analysis.ImageSet;
import org.clipwb.core.analysis.LabelHistory;
import org.clipwb.core.analysis.RunInspection;
import org.clipwb.core.project.RunRecord;

/**
 * The image inspector: one image, its top-k probabilities, CoFT's positive and negative prompt similarities with
 * p_clean, its pseudo-label through the phases and runs, LLU's mask α(x) with the anchors behind it, LatteCLIP's
 * texts and mixer weights, and its nearest neighbours. A section without data for the run says so in plain words.
 * Clicking a thumbnail inspects that image.
 */
public final class InspectorView {
    private static final int IMAGE_SIDE = 224;
    private static final int THUMBNAIL_SIDE = 64;

    private final InspectorViewModel viewModel;
    private final Label status = Styles.collapsedWhenEmpty(Styles.label("", "inspector-status"));
    private final VBox sections = new VBox(8);
    private final ScrollPane root;

    /** An inspector following {@code context}'s selected image and run. */
    public InspectorView(WorkbenchContext context) {
        this(context, new AnalysisSource());
    }

    /** An inspector sharing its loaded run data with the dataset views through {@code source}. */
    public InspectorView(WorkbenchContext context, AnalysisSource source) {
        this.viewModel = new InspectorViewModel(context, source);
        status.setId("inspector-status");
        status.textProperty().bind(viewModel.statusProperty());
        status.setWrapText(true);
        VBox box = new VBox(8, status, sections);
        box.setPadding(new Insets(8));
        root = new ScrollPane(box);
        root.setFitToWidth(true);
        root.setId("inspector");
        viewModel.contentProperty().addListener((observable, old, content) -> show(content));
        show(viewModel.contentProperty().get());
    }

    /** The view, for the window to place. */
    public Node node() {
        return root;
    }

    /** Its state, for tests and for the shell. */
    public InspectorViewModel viewModel() {
        return viewModel;
    }

    private void show(InspectorContent content) {
        sections.getChildren().clear();
        if (content == null) {
            return;
        }
        sections.getChildren().addAll(header(content), section("Top-" + content.topK().size() + " probabilities ("
                + content.scoresSource() + ")", "inspector-topk", topK(content)),
                section("Positive and negative prompts", "inspector-prompts", prompts(content)),
                section("Pseudo-label history", "inspector-history", history(content)),
                section("LLU mask α(x)", "inspector-llu", llu(content)),
                section("LatteCLIP descriptions and mixer", "inspector-latte", latte(content)),
                section("Nearest neighbours", "inspector-neighbours", neighbours(content)));
    }

    private Node header(InspectorContent content) {
        ImageSet images = content.images();
        ImageView image = new ImageView(new Image(images.files().get(content.index()).toUri().toString(), IMAGE_SIDE,
                IMAGE_SIDE, true, true, true));
        image.setId("inspector-image");
        Label name = Styles.label(images.keys().get(content.index()), "inspector-title");
        name.setId("inspector-name");
        Label truth = new Label(images.evaluationLabel(content.index())
                .map(label -> "Evaluation label: " + images.classNames().get(label))
                .orElse("No evaluation label (the image is not in a class subfolder)"));
        VBox header = new VBox(4, image, name, truth);
        header.setAlignment(Pos.CENTER_LEFT);
        return header;
    }

    private static TitledPane section(String title, String id, Node body) {
        TitledPane pane = new TitledPane(title, body);
        pane.setId(id);
        pane.setAnimated(false);
        return pane;
    }

    private static Label empty(String text) {
        Label label = Styles.label(text, "empty-state");
        label.setWrapText(true);
        return label;
    }

    private static Node topK(InspectorContent content) {
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(4);
        int row = 0;
        for (InspectorContent.ClassScore score : content.topK()) {
            ProgressBar bar = new ProgressBar();
            bar.setPrefWidth(140);
            Styles.showProbability(bar, score.probability());
            grid.addRow(row++, new Label(score.name()), bar, new Label(Styles.percent(score.probability())));
        }
        return grid;
    }

    private static String runName(RunRecord run) {
        return "run " + run.id() + " (" + run.method() + ")";
    }

    private static Optional<Node> notSeen(InspectorContent content) {
        if (content.run().isPresent() && !content.runCoversImage()) {
            return Optional.of(empty(runName(content.run().get()) + " recorded nothing about this image: it did not "
                    + "see it (added after the run), or the run stopped before its first phase."));
        }
        return Optional.empty();
    }

    /**
     * The empty state of a section the shown run has no data for: the run did not see the image, the run's method
     * does not record it ({@code runLacks}, after the run's name), or no run is selected ({@code noRun}).
     */
    private static Node missing(InspectorContent content, String runLacks, String noRun) {
        return notSeen(content).orElseGet(() -> empty(content.run().map(run -> runName(run) + runLacks)
                .orElse(noRun)));
    }

    private static Node prompts(InspectorContent content) {
        if (content.coft().isEmpty()) {
            return missing(content, " has no positive and negative prompt similarities: only CoFT and CoFT+ record "
                    + "them, in their filtering phase.", "Select a CoFT run to compare each class's positive and "
                    + "negative prompt similarities (S⁺, S⁻) with p_clean.");
        }
        RunInspection.CoftVerdict verdict = content.coft().get();
        GridPane grid = new GridPane();
        grid.setId("inspector-prompt-table");
        grid.setHgap(10);
        grid.setVgap(3);
        grid.addRow(0, bold("class"), bold("S⁺ A"), bold("S⁻ A"), bold("p_clean A"), bold("S⁺ B"), bold("S⁻ B"),
                bold("p_clean B"));
        for (int c = 0; c < content.images().classCount(); c++) {
            Label name = new Label(content.className(c));
            if (c == verdict.label()) {
                name.getStyleClass().add("inspector-retained");
            }
            grid.addRow(c + 1, name, number(verdict.positiveA()[c]), number(verdict.negativeA()[c]),
                    number(verdict.cleanProbability(0, c)), number(verdict.positiveB()[c]),
                    number(verdict.negativeB()[c]), number(verdict.cleanProbability(1, c)));
        }
        String decision = verdict.kept()
                ? String.format(Locale.ROOT, "Kept as %s: proposed by model %s, validated by model %s, p_clean %.2f "
                        + "(phase %s).", content.className(verdict.label()), model(verdict.generator()),
                        model(verdict.validator()), verdict.cleanProbability(), verdict.phase())
                : String.format(Locale.ROOT, "Discarded in phase %s: no model's proposal passed the other's S⁺ > S⁻ "
                        + "check (p_clean %.2f).", verdict.phase(), verdict.cleanProbability());
        Label summary = new Label(decision);
        summary.setWrapText(true);
        return new VBox(6, grid, summary);
    }

    private static String model(int id) {
        return id == 0 ? "A" : id == 1 ? "B" : "none";
    }

    private static Node history(InspectorContent content) {
        VBox box = new VBox(6);
        if (content.run().isEmpty()) {
            box.getChildren().add(empty("No run selected: choose a run to follow this image's pseudo-label through "
                    + "its phases."));
        } else if (content.phases().isEmpty()) {
            box.getChildren().add(notSeen(content).orElseGet(() -> empty(runName(content.run().get())
                    + " has not finished a phase yet.")));
        } else {
            GridPane phases = new GridPane();
            phases.setId("inspector-phases");
            phases.setHgap(10);
            phases.addRow(0, bold("phase"), bold("label"), bold("confidence"), bold("kept"));
            int row = 1;
            int previous = -1;
            for (RunInspection.Step step : content.phases()) {
                Label label = new Label(content.className(step.label()));
                if (previous >= 0 && step.label() != previous) {
                    label.setText(label.getText() + " (changed)");
                    label.getStyleClass().add("inspector-flipped");
                }
                previous = step.label();
                phases.addRow(row++, new Label(step.phase()), label, new Label(Styles.percent(step.confidence())),
                        new Label(step.kept() ? "yes" : "no"));
            }
            box.getChildren().addAll(new Label("In " + runName(content.run().get()) + ":"), phases);
        }
        if (content.runLabels().isEmpty()) {
            box.getChildren().add(empty("No finished run has labelled this image yet."));
        } else {
            GridPane runs = new GridPane();
            runs.setId("inspector-runs");
            runs.setHgap(10);
            runs.addRow(0, bold("run"), bold("method"), bold("final label"), bold("confidence"));
            int row = 1;
            for (LabelHistory.RunLabel label : content.runLabels()) {
                runs.addRow(row++, new Label(label.run().id()), new Label(label.run().method()),
                        new Label(content.className(label.label())), new Label(Styles.percent(label.confidence())));
            }
            box.getChildren().addAll(new Label("Across runs:"), runs);
        }
        return box;
    }

    private Node llu(InspectorContent content) {
        if (content.llu().isEmpty()) {
            return missing(content, " has no mask α(x): only LLU runs record it.", "Select an LLU run to see its "
                    + "mask α(x): how strongly its update applies to this image, and the anchors behind it.");
        }
        RunInspection.LluMask mask = content.llu().get();
        ProgressBar alpha = new ProgressBar(mask.alpha());
        alpha.setId("inspector-alpha");
        Label value = new Label(String.format(Locale.ROOT, "α(x) = %.3f: the update moves this image's embedding "
                + "%.0f%% of the way to its adapted position.", mask.alpha(), 100 * mask.alpha()));
        value.setWrapText(true);
        VBox box = new VBox(6, new HBox(8, alpha, value));
        if (mask.strongest().isEmpty()) {
            box.getChildren().add(empty("The run's classifier was not saved, so its anchors cannot be shown."));
            return box;
        }
        box.getChildren().add(new Label("The " + mask.strongest().size() + " of " + mask.anchorCount()
                + " anchors that pull hardest, each with its nearest images:"));
        for (RunInspection.AnchorPull pull : mask.strongest()) {
            FlowPane thumbnails = thumbnails(content.images(), pull.nearestImages(), pull.similarities());
            thumbnails.getStyleClass().add("inspector-anchor");
            box.getChildren().add(new VBox(2, new Label(String.format(Locale.ROOT, "anchor %d: weight %.3f",
                    pull.anchor(), pull.weight())), thumbnails));
        }
        return box;
    }

    private Node latte(InspectorContent content) {
        if (content.latte().isEmpty()) {
            return missing(content, " wrote no descriptions for this image: only LatteCLIP runs describe their "
                    + "training images and weigh the texts with the mixer.", "Select a LatteCLIP run to read its "
                    + "descriptions of this image and the mixer's weights.");
        }
        RunInspection.LatteTexts texts = content.latte().get();
        VBox box = new VBox(6);
        box.getChildren().add(wrapped("Image description: " + texts.imageDescription()
                .orElse("(not described: the image was not among the run's training images)")));
        texts.groupDescription().ifPresent(group -> {
            box.getChildren().add(wrapped("Group description: " + group));
            box.getChildren().add(thumbnails(content.images(), texts.groupImages(), null));
        });
        if (texts.mixerWeights().isPresent()) {
            GridPane weights = new GridPane();
            weights.setId("inspector-mixer");
            weights.setHgap(8);
            float[] w = texts.mixerWeights().get();
            float sum = 0;
            for (float x : w) {
                sum += x;
            }
            for (int t = 0; t < w.length && t < RunInspection.MIXER_TERMS.size(); t++) {
                ProgressBar bar = new ProgressBar(sum > 0 ? w[t] / sum : 0);
                weights.addRow(t, new Label(RunInspection.MIXER_TERMS.get(t)), bar,
                        new Label(String.format(Locale.ROOT, "%.4f", w[t])));
            }
            box.getChildren().addAll(new Label("Mixer weights (margin between the two nearest class prototypes):"),
                    weights);
        } else {
            box.getChildren().add(empty("Mixer weights: this run recorded none (they are computed while LatteCLIP "
                    + "trains)."));
        }
        return box;
    }

    private Node neighbours(InspectorContent content) {
        if (content.neighbours().indices().length == 0) {
            return empty("This is the only image: it has no neighbours.");
        }
        FlowPane pane = thumbnails(content.images(), content.neighbours().indices(),
                content.neighbours().similarities());
        pane.setId("inspector-neighbour-thumbnails");
        return pane;
    }

    /** Thumbnails of images (−1 entries skipped); a click inspects the image. */
    private FlowPane thumbnails(ImageSet images, int[] indices, float[] similarities) {
        FlowPane pane = new FlowPane(4, 4);
        for (int k = 0; k < indices.length; k++) {
            int index = indices[k];
            if (index < 0) {
                continue;
            }
            Path file = images.files().get(index);
            ImageView view = new ImageView(new Image(file.toUri().toString(), THUMBNAIL_SIDE, THUMBNAIL_SIDE, true,
                    true, true));
            String predicted = images.classNames().get(images.prediction(index).predicted());
            Label caption = new Label(similarities == null ? predicted
                    : String.format(Locale.ROOT, "%s %.2f", predicted, similarities[k]));
            caption.getStyleClass().add("inspector-thumbnail-caption");
            VBox cell = new VBox(2, view, caption);
            cell.getStyleClass().add("inspector-thumbnail");
            cell.setUserData(index);
            Tooltip.install(cell, new Tooltip(images.keys().get(index)));
            cell.setOnMouseClicked(event -> viewModel.select(index));
            pane.getChildren().add(cell);
        }
        return pane;
    }

    private static Label bold(String text) {
        return Styles.label(text, "inspector-column");
    }

    private static Label number(double value) {
        return new Label(String.format(Locale.ROOT, "%.3f", value));
    }

    private static Label wrapped(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        return label;
    }
}
