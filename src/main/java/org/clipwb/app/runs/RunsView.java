package org.clipwb.app.runs;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.ui.Theme;
import org.clipwb.core.project.LabelExport;
import org.clipwb.core.project.RunComparison;
import org.clipwb.core.project.RunRecord;

/**
 * The Runs tab: the project's run history, two runs (or a run and zero-shot) compared side by side, the exports of
 * a run (labels as CSV or class folders, the adapted model, an HTML report) and the presentation of a run phase by
 * phase. Built in code on its {@link RunsViewModel}; mount {@link #node()}.
 */
public final class RunsView {
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
        TableView<RunRecord> table = new TableView<>(model.runs());
        table.setId("runsTable");
        table.getColumns().add(column("Run", RunRecord::id));
        table.getColumns().add(column("Method", RunRecord::method));
        table.getColumns().add(column("Status", run -> run.status().name().toLowerCase(Locale.ROOT)));
        table.getColumns().add(column("Seed", run -> Long.toString(run.seed())));
        table.getColumns().add(column("Accuracy", run -> percent(run.metrics().get("target.accuracy"))));
        table.getColumns().add(column("Zero-shot", run -> percent(run.metrics().get("target.zero_shot_accuracy"))));
        table.getColumns().add(column("Change", run -> points(run.metrics().get("target.zero_shot_accuracy"),
                run.metrics().get("target.accuracy"))));
        table.getColumns().add(column("Note", RunRecord::message));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        model.selectedProperty().bind(table.getSelectionModel().selectedItemProperty());

        Button compare = Styles.button("compareWithZeroShot", "Compare with zero-shot",
                () -> model.compareWithZeroShot(model.selectedProperty().get()));
        compare.setTooltip(new javafx.scene.control.Tooltip("Compare the project's zero-shot predictions (what the "
                + "gallery shows) with this run's labels; before zero-shot ran, the labels the run started from"));
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
        var noneSelected = model.selectedProperty().isNull();
        var notDone = javafx.beans.binding.Bindings.createBooleanBinding(() -> model.selectedProperty().get() == null
                || model.selectedProperty().get().status() != RunRecord.Status.DONE, model.selectedProperty());
        for (Button needsDone : new Button[] {compare, csv, tree, exportModel}) {
            needsDone.disableProperty().bind(notDone);
        }
        report.disableProperty().bind(noneSelected);
        present.disableProperty().bind(noneSelected);
        FlowPane actions = new FlowPane(8, 6, compare, new Label("Export:"), csv, tree, copy, exportModel, report,
                present);
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox pane = new VBox(6, table, actions);
        pane.setPadding(new Insets(8));
        return pane;
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

        TableView<RunsViewModel.MetricRow> metrics = new TableView<>(model.metrics());
        metrics.setId("metricsTable");
        metrics.getColumns().add(column("Metric", RunsViewModel.MetricRow::metric));
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
            changes.getItems().setAll(compared == null ? java.util.List.of() : compared.comparison().changes());
            summary.setText(compared == null ? "" : summary(compared.comparison()));
        });
        SplitPane tables = new SplitPane(metrics, changes);
        VBox.setVgrow(tables, Priority.ALWAYS);
        VBox pane = new VBox(6, new FlowPane(8, 6, new Label("Compare A"), a, new Label("with B"), b), summary,
                tables);
        pane.setPadding(new Insets(8));
        return pane;
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
        RunRecord run = model.selectedProperty().get();
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

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4g", value);
    }

}
