package org.clipwb.app.runs;

import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.ui.Styles;

/**
 * Presentation mode: a run phase by phase in large type, for a lecture hall. Left/Right (or Page Up/Down, Space)
 * step through the slides. Built in code on its {@link TeachingViewModel}; mount {@link #node()}, e.g. in a
 * full-screen stage.
 */
public final class TeachingView {
    private static final String LARGE = "-fx-font-size: 30px;";
    private static final String TITLE = "-fx-font-size: 44px; -fx-font-weight: bold;";
    private static final int THUMBNAIL = 128;

    private final TeachingViewModel model;
    private final BorderPane root = new BorderPane();
    private final Label title = new Label();
    private final Label description = new Label();
    private final VBox facts = new VBox(14);
    private final FlowPane examples = new FlowPane(12, 12);
    private final Label position = new Label();

    /** The view on the window's context; it makes its own view-model. */
    public TeachingView(WorkbenchContext context) {
        this(new TeachingViewModel(context));
    }

    /** The view of {@code model}. */
    public TeachingView(TeachingViewModel model) {
        this.model = model;
        root.setId("teachingView");
        title.setId("slideTitle");
        title.setStyle(TITLE);
        title.setWrapText(true);
        description.setId("slideDescription");
        description.setStyle("-fx-font-size: 22px;");
        description.setWrapText(true);
        facts.setId("slideFacts");
        examples.setId("slideExamples");
        position.setId("slidePosition");
        position.setStyle("-fx-font-size: 20px;");
        VBox body = new VBox(24, title, description, facts, examples);
        body.setPadding(new Insets(40));
        root.setCenter(body);
        Button previous = Styles.button("previousSlide", "◀ Previous", model::previous);
        previous.setStyle(LARGE);
        previous.disableProperty().bind(model.hasPrevious().not());
        Button next = Styles.button("nextSlide", "Next ▶", model::next);
        next.setStyle(LARGE);
        next.disableProperty().bind(model.hasNext().not());
        HBox navigation = new HBox(20, previous, position, next);
        navigation.setAlignment(Pos.CENTER);
        navigation.setPadding(new Insets(16));
        root.setBottom(navigation);
        // A filter, so that the keys step the slides wherever the focus is (a focused button would take them).
        root.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.RIGHT || event.getCode() == KeyCode.PAGE_DOWN
                    || event.getCode() == KeyCode.SPACE) {
                model.next();
                event.consume();
            } else if (event.getCode() == KeyCode.LEFT || event.getCode() == KeyCode.PAGE_UP) {
                model.previous();
                event.consume();
            }
        });
        model.slideProperty().addListener((observable, old, slide) -> show(slide));
        model.indexProperty().addListener((observable, old, index) -> showPosition());
        model.slides().addListener((javafx.collections.ListChangeListener<TeachingViewModel.Slide>) c -> showPosition());
        show(model.slideProperty().get());
    }

    /** The view's root node. */
    public Node node() {
        return root;
    }

    /** Its view-model. */
    public TeachingViewModel model() {
        return model;
    }

    private void show(TeachingViewModel.Slide slide) {
        facts.getChildren().clear();
        examples.getChildren().clear();
        if (slide == null) {
            title.setText("Choose a run to present");
            description.setText("");
            return;
        }
        title.setText(slide.title());
        description.setText(slide.description());
        for (String fact : slide.facts()) {
            Label line = new Label("• " + fact);
            line.setStyle(LARGE);
            line.setWrapText(true);
            line.getStyleClass().add("slide-fact");
            facts.getChildren().add(line);
        }
        Path folder = model.imageFolder();
        for (TeachingViewModel.Example example : slide.examples()) {
            ImageView image = new ImageView(new Image(folder.resolve(example.image()).toUri().toString(), THUMBNAIL,
                    THUMBNAIL, true, true, true));
            Label caption = new Label(example.from() + " → " + example.to());
            caption.setStyle("-fx-font-size: 18px;" + example.fixed().map(fixed -> fixed
                    ? "-fx-text-fill: #1a7f37;" : "-fx-text-fill: #c62828;").orElse(""));
            VBox tile = new VBox(4, image, caption);
            tile.getStyleClass().add("slide-example");
            examples.getChildren().add(tile);
        }
    }

    private void showPosition() {
        position.setText(model.slides().isEmpty() ? "" : (model.indexProperty().get() + 1) + " / "
                + model.slides().size());
    }
}
