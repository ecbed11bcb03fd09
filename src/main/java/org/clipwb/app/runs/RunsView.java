package org.clipwb.app.runs;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.ui.NarrowLayout;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.ui.Theme;
import org.clipwb.core.project.LabelExport;
import org.clipwb.core.project.RunComparison;
import org.clipwb.core.project.RunRecord;

/**
 * The Runs tab: the project's run history (the project's zero-shot predictions first, as a run), two runs (or a run
 * and zero-shot) compared side by side, the exports of a run (labels as CSV or class folders, also zero-shot's; the
 * adapted model, an HTML report) and the presentation of a run phase by phase. Built in code on its
 * {@link RunsViewModel}; mount {@link #node()}.
 */
public final class RunsView {
    /** Below this width the metrics stand above the changed images rather than beside them. */
    private static final double NARROW_WIDTH = 560;
    /** A column header's padding and sort arrow around its title. */
    private static final double COLUMN_PADDING = 28;
    /** The width wished for a column of long names (run ids, metric names). */
    private static final double LONG_COLUMN_WIDTH = 180;
    /** Room for a table's vertical scroll bar. */
    private static final double SCROLL_BAR_WIDTH = 16;

    private final RunsViewModel model;
    private final TeachingView teaching;
    private final BorderPane root = new BorderPane();

    /** The view on the window's context; it makes its own view-models. */
    public RunsView(WorkbenchContext context) {
        this(new RunsViewModel(context), new TeachingView(context));
    }

    /** The view of {@code model}, presenting runs in {@code teaching}. */
    public RunsView(RunsViewModel model, TeachingView teaching) {
        this.model = model;
        this.teaching = teaching;
        root.setId("runsView");
        SplitPane split = new SplitPane(historyPane(), comparisonPane());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        root.setCenter(split);
    }

    /** The view's root node. */
    public Node node() {
        return root;
    }

    /** Its view-model. */
    public RunsViewModel model() {
        return model;
    }

    /** The presentation it opens runs in. */
    public TeachingView teaching() {
        return teaching;
    }

    private Node historyPane() {
        TableView<RunsViewModel.HistoryRow> table = new TableView<>(model.history());
        table.setId("runsTable");
        table.getColumns().add(column("Run", row -> row.run().map(RunRecord::id).orElse("—")));
        table.getColumns().get(0).setPrefWidth(LONG_COLUMN_WIDTH); // a run's id is long
        table.getColumns().add(column("Method", row -> row.run().map(RunRecord::method).orElse("zero-shot")));
        table.getColumns().add(column("Status", row -> row.run().map(run -> run.status().name().toLowerCase(
                Locale.ROOT)).orElse("current")));
        table.getColumns().add(column("Seed", row -> row.run().map(run -> Long.toString(run.seed())).orElse("")));
        table.getColumns().add(column("Images", row -> count(row.metrics().get("target.images"))));
        table.getColumns().add(column("Accuracy", row -> percent(row.metrics().get("target.accuracy"))));
        table.getColumns().add(column("Zero-shot", row -> percent(row.metrics().get("target.zero_shot_accuracy"))));
        table.getColumns().add(column("Change", row -> points(row.metrics().get("target.zero_shot_accuracy"),
                row.metrics().get("target.accuracy"))));
        table.getColumns().add(column("Note", row -> row.run().map(RunRecord::message)
                .orElse("what the gallery shows")));
        fitColumns(table);
        model.selectedProperty().bind(table.getSelectionModel().selectedItemProperty());
        // Rows made while the tab is hidden are measured without the theme's padding, and the table keeps those
        // heights: measure them again when the tab shows.
        ChangeListener<Boolean> remeasure = (observable, hidden, shown) -> {
            if (shown) {
                table.refresh();
            }
        };
        root.parentProperty().addListener((observable, old, parent) -> {
            if (old != null) {
                old.visibleProperty().removeListener(remeasure);
            }
            if (parent != null) {
                parent.visibleProperty().addListener(remeasure);
            }
        });

        Button compare = Styles.button("compareWithZeroShot", "Compare with zero-shot",
                () -> model.compareWithZeroShot(selectedRun()));
        Button csv = Styles.button("exportCsv", "Labels as CSV…", () -> saveFile("labels.csv", "CSV", "*.csv")
                .ifPresent(model::exportLabelsCsv));
        CheckBox copy = new CheckBox("copy images");
        copy.setId("copyImages");
        Button tree = Styles.button("exportTree", "Labels as class folders…", () -> chooseFolder().ifPresent(folder ->
                model.exportLabelTree(folder, copy.isSelected() ? LabelExport.TreeMode.COPY
                        : LabelExport.TreeMode.LINK)));
        Button exportModel = Styles.button("exportModel", "Adapted model…", () -> chooseFolder()
                .ifPresent(model::exportModel));
        Button report = Styles.button("exportReport", "Report (HTML)…", () -> saveFile("report.html", "HTML", "*.html")
                .ifPresent(model::exportReport));
        Button present = Styles.button("present", "Present", this::present);
        FlowPane actions = new FlowPane(8, 6,
                action(compare, RunsViewModel.Action.COMPARE, "Compare the project's zero-shot predictions (what "
                        + "the gallery shows) with this run's labels; before zero-shot ran, the labels the run "
                        + "started from"),
                new Label("Export:"),
                action(csv, RunsViewModel.Action.EXPORT_LABELS, "Each image's label and its confidence, one row "
                        + "per image"),
                action(tree, RunsViewModel.Action.EXPORT_LABELS, "One folder per class holding links to the images "
                        + "(or copies, with \"copy images\")"),
                copy,
                action(exportModel, RunsViewModel.Action.EXPORT_MODEL, "The adapted model with its classifier, for "
                        + "clipwb zero-shot --model DIR"),
                action(report, RunsViewModel.Action.REPORT, "The run as a self-contained HTML page with its charts "
                        + "and tables"),
                action(present, RunsViewModel.Action.PRESENT, "Step through the run phase by phase in large type"));
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox pane = new VBox(6, table, actions);
        pane.setPadding(new Insets(8));
        return pane;
    }

    /**
     * {@code button} disabled while {@code action} cannot apply to the selected row, in a holder whose tooltip says
     * why (a disabled control shows no tooltip of its own), else what the button does.
     */
    private Node action(Button button, RunsViewModel.Action action, String description) {
        StringBinding unavailable = Bindings.createStringBinding(() -> RunsViewModel.unavailable(
                model.selectedProperty().get(), action).orElse(""), model.selectedProperty());
        button.disableProperty().bind(unavailable.isNotEmpty());
        Label holder = new Label(null, button);
        holder.setId(button.getId() + "Holder");
        holder.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(Bindings.when(unavailable.isEmpty()).then(description).otherwise(unavailable));
        holder.setTooltip(tooltip);
        return holder;
    }

    private RunRecord selectedRun() {
        return model.selectedProperty().get().run().orElseThrow();
    }

    private Node comparisonPane() {
        ComboBox<LabelSource> a = new ComboBox<>(model.sources());
        a.setId("sourceA");
        a.valueProperty().bindBidirectional(model.sourceAProperty());
        ComboBox<LabelSource> b = new ComboBox<>(model.sources());
        b.setId("sourceB");
        b.valueProperty().bindBidirectional(model.sourceBProperty());
        Label summary = new Label();
        summary.setId("comparisonSummary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE); // every line of it, the tables below giving up the height

        TableView<RunsViewModel.MetricRow> metrics = new TableView<>(model.metrics());
        metrics.setId("metricsTable");
        metrics.getColumns().add(column("Metric", RunsViewModel.MetricRow::metric));
        metrics.getColumns().get(0).setPrefWidth(LONG_COLUMN_WIDTH);
        metrics.getColumns().add(column("A", row -> number(row.a())));
        metrics.getColumns().add(column("B", row -> number(row.b())));
        metrics.getColumns().add(column("B − A", row -> number(row.difference())));
        metrics.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableView<RunComparison.Change> changes = new TableView<>();
        changes.setId("changesTable");
        changes.setPlaceholder(new Label("No label differs"));
        changes.getColumns().add(column("Image", RunComparison.Change::path));
        changes.getColumns().add(column("A", change -> className(change.labelA())));
        changes.getColumns().add(column("B", change -> className(change.labelB())));
        changes.getColumns().add(column("Evaluation label", change -> className(change.truth())));
        changes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        model.comparedProperty().addListener((observable, old, compared) -> {
            changes.getItems().setAll(compared == null ? List.of() : compared.comparison().changes());
            summary.setText(compared == null ? "" : summary(compared.comparison()));
        });
        SplitPane tables = new SplitPane(metrics, changes);
        VBox.setVgrow(tables, Priority.ALWAYS);
        VBox pane = new VBox(6, sidesPane(a, b), summary, tables);
        NarrowLayout.follow(pane, NARROW_WIDTH, narrow -> NarrowLayout.stack(tables, narrow));
        pane.setPadding(new Insets(8));
        return pane;
    }

    /**
     * The two sides, one row each, their boxes taking the width there is: a run's long name is cut short in its box
     * (whole in the list) rather than pushing the tab wider than a narrow window.
     */
    private static Node sidesPane(ComboBox<LabelSource> a, ComboBox<LabelSource> b) {
        GridPane sides = new GridPane();
        sides.setHgap(8);
        sides.setVgap(6);
        sides.addRow(0, Styles.fixedLabel("Compare A"), a);
        sides.addRow(1, Styles.fixedLabel("with B"), b);
        for (ComboBox<LabelSource> side : List.of(a, b)) {
            side.setMinWidth(100);
            side.setMaxWidth(Double.MAX_VALUE);
            GridPane.setHgrow(side, Priority.ALWAYS);
        }
        return sides;
    }

    private String className(int label) {
        RunsViewModel.Compared compared = model.comparedProperty().get();
        return label < 0 || compared == null ? "—" : compared.classNames().get(label);
    }

    /** The comparison in one sentence. */
    static String summary(RunComparison comparison) {
        String text = comparison.changes().size() + " of " + comparison.compared() + " images changed label";
        if (comparison.accuracyA().isPresent()) {
            text += String.format(Locale.ROOT, ": %d fixed, %d broken; accuracy %.1f%% → %.1f%%",
                    comparison.fixedCount(), comparison.brokenCount(), 100 * comparison.accuracyA().getAsDouble(),
                    100 * comparison.accuracyB().getAsDouble());
        }
        return text;
    }

    private void present() {
        RunRecord run = selectedRun();
        teaching.model().present(run);
        Stage stage = new Stage();
        stage.setTitle("Presenting run " + run.id());
        Window owner = root.getScene() == null ? null : root.getScene().getWindow();
        if (owner != null) {
            stage.initOwner(owner);
        }
        Node node = teaching.node();
        if (node.getScene() != null && node.getScene().getWindow() instanceof Stage previous) {
            previous.close();
            ((BorderPane) node.getParent()).setCenter(null);
        }
        BorderPane holder = new BorderPane(node);
        stage.setScene(Theme.follow(new Scene(holder, 1280, 800)));
        stage.show();
        node.requestFocus();
    }

    private java.util.Optional<Path> saveFile(String name, String kind, String pattern) {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        File file = chooser.showSaveDialog(root.getScene().getWindow());
        return java.util.Optional.ofNullable(file).map(File::toPath);
    }

    private java.util.Optional<Path> chooseFolder() {
        File folder = new DirectoryChooser().showDialog(root.getScene().getWindow());
        return java.util.Optional.ofNullable(folder).map(File::toPath);
    }

    /**
     * Fits {@code table}'s columns to its width while their titles fit; in a narrower table they keep the widths of
     * their titles and the table scrolls sideways (a constrained table would cut its last columns off instead).
     */
    private static void fitColumns(TableView<?> table) {
        for (TableColumn<?, ?> column : table.getColumns()) {
            column.setMinWidth(new Text(column.getText()).getLayoutBounds().getWidth() + COLUMN_PADDING);
        }
        double least = table.getColumns().stream().mapToDouble(TableColumn::getMinWidth).sum() + SCROLL_BAR_WIDTH;
        NarrowLayout.follow(table, least, narrow -> table.setColumnResizePolicy(narrow
                ? TableView.UNCONSTRAINED_RESIZE_POLICY : TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN));
    }

    private static <S> TableColumn<S, String> column(String title, Function<S, String> text) {
        TableColumn<S, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return column;
    }

    private static String percent(Double fraction) {
        return fraction == null ? "" : Styles.percent(fraction);
    }

    private static String points(Double before, Double after) {
        return before == null || after == null ? "" : String.format(Locale.ROOT, "%+.1f", 100 * (after - before));
    }

    private static String count(Double value) {
        return value == null ? "" : Long.toString(Math.round(value));
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4g", value);
    }

}
