package org.clipwb.app.training;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.ui.NarrowLayout;
import org.clipwb.app.ui.Styles;
import org.clipwb.core.adapt.DescriptionSources;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunCharts;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.jfree.chart.fx.ChartViewer;

/**
 * The Training tab: a method and a phase, the method's settings as a property sheet, the device with a memory
 * estimate, Start / Pause / Resume / Cancel, live charts, the ETA and a log. Built in code on its
 * {@link TrainingViewModel}; mount {@link #node()}.
 */
public final class TrainingView {
    /** Below this width the settings stand above the charts and the charts in one column, rather than side by side. */
    private static final double NARROW_WIDTH = 640;
    private static final double CHART_MIN_WIDTH = 200;
    private static final double CHART_MIN_HEIGHT = 150;

    private final TrainingViewModel model;
    private final BorderPane root = new BorderPane();
    /** The view scrolls when the window is too small for its least size, so that every control stays reachable. */
    private final ScrollPane scroll = new ScrollPane(root);
    private final SplitPane centre;
    private final GridPane charts = new GridPane();

    /** The view on the window's context; it makes its own view-model. */
    public TrainingView(WorkbenchContext context) {
        this(new TrainingViewModel(context));
    }

    /** The view of {@code model}. */
    public TrainingView(TrainingViewModel model) {
        this.model = model;
        root.setId("trainingView");
        root.setTop(controls());
        centre = new SplitPane(settingsPane(), chartsPane());
        root.setCenter(centre);
        root.setBottom(statusPane());
        centre.setDividerPositions(0.35);
        NarrowLayout.follow(root, NARROW_WIDTH, this::arrange);
        scroll.setId("trainingScroll");
        scroll.getStyleClass().add("edge-to-edge"); // no frame of its own inside the tab
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
    }

    /** The view's root node. */
    public Node node() {
        return scroll;
    }

    /** Side by side (settings, then the charts two by two), or stacked for a narrow window. */
    private void arrange(boolean narrow) {
        NarrowLayout.stack(centre, narrow);
        List<Node> viewers = List.copyOf(charts.getChildren());
        charts.getChildren().clear();
        int columns = narrow ? 1 : 2;
        for (int i = 0; i < viewers.size(); i++) {
            charts.add(viewers.get(i), i % columns, i / columns);
        }
    }

    /** Its view-model. */
    public TrainingViewModel model() {
        return model;
    }

    private Node controls() {
        ComboBox<MethodInfo> method = new ComboBox<>();
        method.setId("method");
        method.getItems().setAll(model.methods());
        method.setConverter(converter(info -> info == null ? "" : info.title()));
        method.setPrefWidth(240); // long titles are cut short in the box, whole in its list
        method.valueProperty().bindBidirectional(model.methodProperty());

        ComboBox<MethodInfo.PhaseInfo> phase = new ComboBox<>();
        phase.setId("phase");
        phase.setConverter(converter(info -> info == null ? "Run every phase" : info.title()));
        phase.setTooltip(new Tooltip("Pause the run after this phase, to look at what it did before going on"));
        phase.setButtonCell(phaseCell());
        phase.setCellFactory(list -> phaseCell());
        Runnable phases = () -> {
            List<MethodInfo.PhaseInfo> items = new ArrayList<>();
            items.add(null);
            if (model.methodProperty().get() != null) {
                items.addAll(model.methodProperty().get().phases());
            }
            phase.getItems().setAll(items);
        };
        phases.run();
        model.methodProperty().addListener((observable, old, info) -> phases.run());
        phase.valueProperty().bindBidirectional(model.pauseAfterProperty());

        ChoiceBox<TrainingViewModel.Target> device = new ChoiceBox<>();
        device.setId("device");
        device.getItems().add(TrainingViewModel.Target.CPU);
        model.gpuAvailableProperty().addListener((observable, old, available) -> {
            if (available && !device.getItems().contains(TrainingViewModel.Target.GPU)) {
                device.getItems().add(TrainingViewModel.Target.GPU);
            }
        });
        device.valueProperty().bindBidirectional(model.targetProperty());
        Label memory = new Label();
        memory.setId("memoryEstimate");
        memory.setWrapText(true);
        memory.textProperty().bind(model.memoryEstimateProperty());

        Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, (int) model.seedProperty().get());
        seed.setId("seed");
        seed.setEditable(true);
        seed.setPrefWidth(100);
        seed.valueProperty().addListener((observable, old, value) -> model.seedProperty().set(value));
        model.seedProperty().addListener((observable, old, value) -> seed.getValueFactory().setValue(value.intValue()));

        Button start = Styles.button("start", "Start", model::start);
        start.disableProperty().bind(model.canStart().not());
        Button pause = Styles.button("pause", "Pause", model::pause);
        pause.disableProperty().bind(model.canPause().not());
        Button resume = Styles.button("resume", "Resume", model::resume);
        resume.disableProperty().bind(model.canResume().not());
        Button cancel = Styles.button("cancel", "Cancel", model::cancel);
        cancel.disableProperty().bind(model.canCancel().not());

        ComboBox<RunRecord> unfinished = new ComboBox<>(model.unfinishedRuns());
        unfinished.setId("unfinishedRuns");
        unfinished.setPromptText("Unfinished runs");
        unfinished.setConverter(converter(run -> run == null ? "" : run.id() + " (" + run.status().name()
                .toLowerCase(java.util.Locale.ROOT) + ")"));
        unfinished.setOnAction(event -> {
            if (unfinished.getValue() != null && !model.stateProperty().get().isActive()) {
                model.show(unfinished.getValue());
            }
        });
        unfinished.disableProperty().bind(Bindings.isEmpty(model.unfinishedRuns()));

        Label description = new Label();
        description.setId("phaseDescription");
        description.setWrapText(true);
        description.textProperty().bind(Bindings.createStringBinding(() -> {
            MethodInfo info = model.methodProperty().get();
            return info == null ? "" : info.paper() + "\nPhases: " + String.join(" → ", info.phases().stream()
                    .map(p -> p.title() + " (" + p.description() + ")").toList());
        }, model.methodProperty()));

        FlowPane row = new FlowPane(8, 6, labelled("Method", method), labelled("Phases", phase),
                labelled("Device", device), labelled("Seed", seed), start, pause, resume, cancel, unfinished);
        VBox top = new VBox(6, row, memory, inputsRow(), description);
        top.setPadding(new Insets(8));
        return top;
    }

    /** A control with its label before it, kept together when the row wraps. */
    private static Node labelled(String label, Node control) {
        return row(8, new Label(label), control);
    }

    /** {@code nodes} side by side, centred vertically. */
    private static HBox row(double spacing, Node... nodes) {
        HBox box = new HBox(spacing, nodes);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** The held-out folder and, for the methods that use them, the descriptions source, with what is wrong. */
    private Node inputsRow() {
        TextField testImages = new TextField();
        testImages.setId("testImages");
        testImages.setPromptText("none");
        testImages.setPrefColumnCount(24);
        testImages.setMinWidth(80);
        HBox.setHgrow(testImages, Priority.ALWAYS);
        testImages.setTooltip(new Tooltip("A held-out folder with one subfolder of images per class: the run reports "
                + "its accuracy there (clipwb adapt --test-images). Empty for none"));
        testImages.textProperty().bindBidirectional(model.testImagesProperty());
        Button chooseTestImages = Styles.button("chooseTestImages", "Choose…", () -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Held-out test folder (one subfolder per class)");
            File folder = chooser.showDialog(root.getScene().getWindow());
            if (folder != null) {
                model.testImagesProperty().set(folder.getAbsolutePath());
            }
        });

        ComboBox<String> descriptions = new ComboBox<>();
        descriptions.setId("descriptions");
        descriptions.setEditable(true);
        descriptions.getItems().setAll(DescriptionSources.OFFLINE, DescriptionSources.OLLAMA + "llava");
        descriptions.setPromptText("offline, FILE.json or ollama:MODEL[@URL]");
        descriptions.setPrefWidth(260);
        descriptions.setMinWidth(80);
        descriptions.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(descriptions, Priority.ALWAYS);
        descriptions.setTooltip(new Tooltip("Where the descriptions of CoFT+ and LatteCLIP come from (clipwb adapt "
                + "--descriptions): offline (a caption bank of the demo world, for the sample projects), a JSON file "
                + "of descriptions, or ollama:MODEL[@URL] (an Ollama server). Kept in the project's descriptions/ "
                + "folder and reused"));
        descriptions.getEditor().textProperty().bindBidirectional(model.descriptionsProperty());
        Button chooseDescriptions = Styles.button("chooseDescriptions", "JSON file…", () -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Descriptions (JSON)");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Descriptions", "*.json"));
            File file = chooser.showOpenDialog(root.getScene().getWindow());
            if (file != null) {
                model.descriptionsProperty().set(file.getAbsolutePath());
            }
        });
        chooseDescriptions.setMinWidth(Region.USE_PREF_SIZE);
        chooseTestImages.setMinWidth(Region.USE_PREF_SIZE);
        HBox descriptionsBox = row(6, Styles.fixedLabel("Descriptions"), descriptions, chooseDescriptions);
        descriptionsBox.setId("descriptionsBox");
        descriptionsBox.visibleProperty().bind(model.descriptionsUsedProperty());
        descriptionsBox.managedProperty().bind(model.descriptionsUsedProperty());
        HBox testBox = row(6, Styles.fixedLabel("Held-out test folder"), testImages, chooseTestImages);

        // One row each, the field taking what width there is (down to a short field in a narrow window).
        return new VBox(4, testBox, descriptionsBox,
                problemLabel("testImagesProblem", testImages, model.testImagesProblem()),
                problemLabel("descriptionsProblem", descriptions, model.descriptionsProblem()));
    }

    /** A red message under the inputs while {@code problem} has something to say, with {@code input} marked. */
    private static Label problemLabel(String id, Node input, StringBinding problem) {
        Label label = Styles.collapsedWhenEmpty(Styles.label("", "hint"));
        label.setId(id);
        label.setWrapText(true);
        label.textProperty().bind(problem);
        label.pseudoClassStateChanged(Styles.INVALID, true);
        input.pseudoClassStateChanged(Styles.INVALID, !problem.get().isEmpty());
        problem.addListener((observable, old, text) -> input.pseudoClassStateChanged(Styles.INVALID,
                !text.isEmpty()));
        return label;
    }

    private Node settingsPane() {
        PropertySheet sheet = new PropertySheet();
        sheet.setId("settingsSheet");
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();
        sheet.setPropertyEditorFactory(item -> item instanceof SettingItem setting
                && setting.setting().kind() == Setting.Kind.CHOICE
                ? Editors.createChoiceEditor(item, setting.setting().choices()) : defaults.call(item));
        sheet.setMinHeight(150); // a few rows even when the charts are stacked under it in a narrow window
        sheet.getItems().setAll(model.settings());
        model.settings().addListener((javafx.collections.ListChangeListener<SettingItem>) change ->
                sheet.getItems().setAll(model.settings()));
        Label problem = new Label();
        problem.setId("settingProblem");
        problem.setWrapText(true);
        Runnable problems = () -> problem.setText(model.settings().stream().map(item -> item.problemProperty().get())
                .filter(text -> !text.isEmpty()).findFirst().orElse(""));
        model.settings().addListener((javafx.collections.ListChangeListener<SettingItem>) change -> model.settings()
                .forEach(item -> item.problemProperty().addListener((o, before, after) -> problems.run())));
        model.settings().forEach(item -> item.problemProperty().addListener((o, before, after) -> problems.run()));
        Button reset = Styles.button("resetSettings", "Reset to defaults", model::resetSettings);
        reset.disableProperty().bind(model.canCancel());
        VBox.setVgrow(sheet, Priority.ALWAYS);
        VBox pane = new VBox(6, sheet, problem, reset);
        pane.setPadding(new Insets(4));
        return pane;
    }

    /** The charts, placed by {@link #arrange}. */
    private Node chartsPane() {
        charts.setId("charts");
        charts.setHgap(4);
        charts.setVgap(4);
        for (RunCharts.Kind kind : RunCharts.Kind.values()) {
            ChartViewer viewer = new ChartViewer(model.charts().chart(kind));
            viewer.setId("chart-" + kind.name().toLowerCase(java.util.Locale.ROOT));
            viewer.setMinSize(CHART_MIN_WIDTH, CHART_MIN_HEIGHT);
            viewer.setPrefSize(400, 250);
            GridPane.setHgrow(viewer, Priority.ALWAYS);
            GridPane.setVgrow(viewer, Priority.ALWAYS);
            charts.getChildren().add(viewer);
        }
        return charts;
    }

    private Node statusPane() {
        ProgressBar progress = new ProgressBar();
        progress.setId("progress");
        progress.progressProperty().bind(model.progressProperty());
        progress.setPrefWidth(200);
        Label eta = new Label();
        eta.setId("eta");
        eta.textProperty().bind(model.etaProperty());
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(model.statusProperty());
        Label state = new Label();
        state.setId("state");
        state.textProperty().bind(Bindings.createStringBinding(() -> model.stateProperty().get().name()
                .toLowerCase(java.util.Locale.ROOT), model.stateProperty()));
        HBox line = new HBox(8, state, progress, eta, status);
        ListView<String> log = new ListView<>(model.log());
        log.setId("log");
        log.setPrefHeight(120);
        log.getItems().addListener((javafx.collections.ListChangeListener<String>) change -> {
            if (!log.getItems().isEmpty()) {
                log.scrollTo(log.getItems().size() - 1);
            }
        });
        VBox pane = new VBox(4, line, log);
        pane.setPadding(new Insets(4, 8, 8, 8));
        return pane;
    }

    private static ListCell<MethodInfo.PhaseInfo> phaseCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(MethodInfo.PhaseInfo item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? "" : item == null ? "Run every phase" : "Pause after " + item.title());
                setTooltip(empty || item == null ? null : new Tooltip(item.description()));
            }
        };
    }


    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return text.apply(value);
            }

            @Override
            public T fromString(String string) {
                throw new UnsupportedOperationException("not editable");
            }
        };
    }
}
