package org.clipwb.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.clipwb.app.dataset.AnalysisSource;
import org.clipwb.app.dataset.DatasetView;
import org.clipwb.app.gallery.DetailsPane;
import org.clipwb.app.gallery.GalleryController;
import org.clipwb.app.gallery.GallerySort;
import org.clipwb.app.gallery.GalleryView;
import org.clipwb.app.gallery.GalleryViewModel;
import org.clipwb.app.gallery.ThumbnailLoader;
import org.clipwb.app.inspector.InspectorView;
import org.clipwb.app.project.ProjectViewModel;
import org.clipwb.app.project.RecentProjects;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.app.runs.RunsView;
import org.clipwb.app.training.TrainingView;
import org.clipwb.app.ui.ErrorDialogs;
import org.clipwb.app.ui.Shortcut;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.ui.Theme;
import org.clipwb.app.zeroshot.DownloadDialog;
import org.clipwb.app.zeroshot.ZeroShotPane;
import org.clipwb.app.zeroshot.ZeroShotViewModel;
import org.clipwb.core.project.RunRecord;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;

/**
 * The main window's shell: a menu bar; the open project's inputs (the zero-shot form) on the left; the feature views
 * as tabs in the middle (Gallery, then Dataset, Training and Runs once their views are plugged in with
 * {@link #setTab}); the inspector on the right ({@link #setInspector}; the selected image's details until then); and a
 * status bar with the running work's progress and the loaded model. Wires the features to the shared
 * {@link WorkbenchContext}.
 */
final class WorkbenchWindow {
    /** The centre tabs, in their order. */
    enum WorkbenchTab {
        GALLERY("Gallery"), DATASET("Dataset"), TRAINING("Training"), RUNS("Runs");

        private final String title;

        WorkbenchTab(String title) {
            this.title = title;
        }

        String title() {
            return title;
        }
    }

    private static final int THUMBNAIL_THREADS = 2;
    /** About 100 MB of decoded thumbnails and previews. */
    private static final long THUMBNAIL_CACHE_PIXELS = 25_000_000;
    private static final String UI_TAB = "tab";
    private static final String UI_SORT = "gallery.sort";
    private static final String UI_DIVIDERS = "dividers";
    private static final String UI_RUN = "gallery.run";

    private final WorkbenchContext context = new WorkbenchContext();
    private final ZeroShotViewModel zeroShot;
    private final ProjectViewModel projects;
    private final GalleryViewModel gallery = new GalleryViewModel();
    private final GalleryController galleryController;
    private final ThumbnailLoader thumbnails = new ThumbnailLoader(THUMBNAIL_THREADS, THUMBNAIL_CACHE_PIXELS);
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final Map<WorkbenchTab, Tab> tabByKind = new LinkedHashMap<>();
    private final StackPane inspectorSlot = new StackPane();
    private final TabPane rightTabs = new TabPane();
    private final TrainingView training;
    private final SplitPane split;
    private final WorkbenchMenus menus;

    /**
     * @param open opens a file with the desktop's default application
     * @param theme the look to start with
     */
    WorkbenchWindow(WorkbenchConfig config, Consumer<Path> open, Theme theme) {
        context.setFileOpener(open);
        context.setErrorHandler((what, error) -> ErrorDialogs.show(window(), what, error));
        zeroShot = new ZeroShotViewModel(config.modelStore(), config.embeddingCache());
        projects = new ProjectViewModel(context, zeroShot.form(), config.sampleProjects(), config.projectsHome(),
                new RecentProjects(config.preferences()));
        projects.setWindowState(this::projectWindowState);
        galleryController = new GalleryController(context, gallery);
        zeroShot.resultProperty().addListener((observable, old, result) -> context.setZeroShotResult(result));
        zeroShot.modelProperty().addListener((observable, old, model) -> context.setModel(model));
        zeroShot.setOnFailure(context::showError);
        zeroShot.runningProperty().addListener((observable, was, running) -> {
            if (running) {
                projects.saveInputs();
            }
        });
        context.projectProperty().addListener((observable, old, project) -> restoreProjectWindowState(project));
        new DownloadDialog(zeroShot, this::window);

        Node form = new ZeroShotPane(zeroShot, sample -> projects.openSample(sample, project -> zeroShot.run()))
                .node();
        VBox.setVgrow(form, Priority.ALWAYS);
        VBox inputs = new VBox(projectHeader(), form);
        setTab(WorkbenchTab.GALLERY, new GalleryView(gallery, thumbnails, galleryController).node());
        // One analysis source for both views, so that a run's signals are read once.
        AnalysisSource analysis = new AnalysisSource();
        DatasetView dataset = new DatasetView(context, analysis);
        setTab(WorkbenchTab.DATASET, dataset.node());
        setInspector(imagePanes(new DetailsPane(gallery, thumbnails, open).node(),
                new InspectorView(context, analysis).node()));
        training = new TrainingView(context);
        setTab(WorkbenchTab.TRAINING, training.node());
        setTab(WorkbenchTab.RUNS, new RunsView(context).node());
        dataset.viewModel().setOnOpenImage(index -> rightTabs.getSelectionModel().select(1));
        dataset.viewModel().setOnSelectImages(indices -> {
            gallery.selectIndices(indices);
            showTab(WorkbenchTab.GALLERY.ordinal());
        });
        tabs.setId("workbenchTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        split = new SplitPane(inputs, tabs, inspectorSlot);
        split.setDividerPositions(0.23, 0.775);
        SplitPane.setResizableWithParent(inputs, false);
        SplitPane.setResizableWithParent(inspectorSlot, false);
        menus = new WorkbenchMenus(this, theme);
        root.setTop(menus.menuBar());
        root.setCenter(split);
        root.setBottom(statusBar());
        root.getStyleClass().add("workbench");
    }

    /**
     * Puts {@code content} in the tab of {@code kind}, adding the tab (in its place among the others) when it is not
     * there yet. This is where the Dataset, Training and Runs views are plugged in.
     */
    void setTab(WorkbenchTab kind, Node content) {
        Tab tab = tabByKind.get(kind);
        if (tab == null) {
            tab = new Tab(kind.title(), content);
            tab.setId("tab-" + kind.name().toLowerCase(Locale.ROOT));
            tabByKind.put(kind, tab);
            int position = 0;
            for (WorkbenchTab earlier : WorkbenchTab.values()) {
                if (earlier == kind) {
                    break;
                }
                position += tabByKind.containsKey(earlier) ? 1 : 0;
            }
            tabs.getTabs().add(position, tab);
        } else {
            tab.setContent(content);
        }
    }

    /** The right-hand pane: the selected image's details, and the inspector of its signals in the shown run. */
    private Node imagePanes(Node details, Node inspector) {
        Tab detailsTab = new Tab("Details", details);
        detailsTab.setId("tab-details");
        Tab inspectorTab = new Tab("Inspector", inspector);
        inspectorTab.setId("tab-inspector");
        rightTabs.getTabs().setAll(detailsTab, inspectorTab);
        rightTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        rightTabs.setId("imageTabs");
        return rightTabs;
    }

    /** Puts {@code inspector} in the right-hand pane, in place of the selected image's details. */
    void setInspector(Node inspector) {
        inspectorSlot.getChildren().setAll(inspector);
    }

    /** Shows the tab at {@code index} (0 = Gallery), when there is one. */
    void showTab(int index) {
        if (index < tabs.getTabs().size()) {
            tabs.getSelectionModel().select(index);
        }
    }

    private Node projectHeader() {
        Label name = Styles.label("", "project-name");
        name.setId("projectName");
        name.setGraphic(new FontIcon(MaterialDesignF.FOLDER_STAR_OUTLINE));
        name.textProperty().bind(projects.titleProperty());
        name.setMaxWidth(Double.MAX_VALUE);
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(Bindings.createStringBinding(() -> context.project() == null
                ? "No project is open: the inputs are a draft, not saved. Project › New project keeps them"
                : "Project folder: " + context.project().directory(), context.projectProperty()));
        name.setTooltip(tooltip);
        VBox box = new VBox(name);
        box.getStyleClass().add("project-header");
        return box;
    }

    private StatusBar statusBar() {
        StatusBar status = new StatusBar();
        status.setId("statusBar");
        // The zero-shot run's progress while it runs; other background work (opening a project, reading a run's
        // signals) when it alone runs; else how the last run ended.
        status.textProperty().bind(Bindings.createStringBinding(() -> !zeroShot.runningProperty().get()
                && !context.backgroundMessageProperty().get().isEmpty() ? context.backgroundMessageProperty().get()
                : zeroShot.messageProperty().get(), zeroShot.runningProperty(), zeroShot.messageProperty(),
                context.backgroundMessageProperty()));
        status.progressProperty().bind(Bindings.createDoubleBinding(() -> !zeroShot.runningProperty().get()
                && !context.backgroundMessageProperty().get().isEmpty() ? context.backgroundProgressProperty().get()
                : zeroShot.progressProperty().get(), zeroShot.runningProperty(), zeroShot.progressProperty(),
                context.backgroundMessageProperty(), context.backgroundProgressProperty()));
        status.getRightItems().add(loadedModelLabel());
        return status;
    }

    private Label loadedModelLabel() {
        Label label = new Label();
        label.setId("loadedModel");
        label.getStyleClass().addAll("loaded-model", "model-path");
        label.setGraphic(new FontIcon(MaterialDesignM.MEMORY));
        label.setMinWidth(160);
        label.setMaxWidth(420);
        label.textProperty().bind(Bindings.createStringBinding(() -> zeroShot.loadedModelProperty().get() == null
                ? "No model loaded" : zeroShot.loadedModelProperty().get(), zeroShot.loadedModelProperty()));
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(Bindings.createStringBinding(() -> zeroShot.loadedModelProperty().get() == null
                ? "No model in memory: the next run loads one"
                : "Model in memory: " + zeroShot.loadedModelProperty().get()
                        + "\n(closed when you choose another model or precision, or quit)",
                zeroShot.loadedModelProperty()));
        label.setTooltip(tooltip);
        return label;
    }

    /** What this window remembers per project: the open tab, the dividers, the gallery's order and shown run. */
    private Map<String, String> projectWindowState() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put(UI_TAB, Integer.toString(tabs.getSelectionModel().getSelectedIndex()));
        double[] dividers = split.getDividerPositions();
        state.put(UI_DIVIDERS, String.format(Locale.ROOT, "%.4f,%.4f", dividers[0], dividers[1]));
        state.put(UI_SORT, gallery.sortProperty().get().name());
        state.put(UI_RUN, context.selectedRunProperty().get() == null ? "" : context.selectedRunProperty().get().id());
        return state;
    }

    private void restoreProjectWindowState(WorkbenchProject project) {
        if (project == null) {
            return;
        }
        Map<String, String> state = project.uiSettings();
        try {
            showTab(Integer.parseInt(state.getOrDefault(UI_TAB, "0")));
            String[] dividers = state.getOrDefault(UI_DIVIDERS, "").split(",");
            if (dividers.length == 2) {
                split.setDividerPositions(Double.parseDouble(dividers[0]), Double.parseDouble(dividers[1]));
            }
            gallery.sortProperty().set(GallerySort.valueOf(state.getOrDefault(UI_SORT, GallerySort.FILE_NAME.name())));
        } catch (IllegalArgumentException e) {
            // A hand-edited or older value: the defaults do.
            System.err.println("Ignoring the remembered window state of " + project.name() + ": " + e.getMessage());
        }
        // Only a finished run: one still running or failed may have no signals yet, and that is no news on opening.
        String run = state.getOrDefault(UI_RUN, "");
        context.runs().stream().filter(record -> record.id().equals(run) && record.status() == RunRecord.Status.DONE)
                .findFirst().ifPresent(context.selectedRunProperty()::set);
    }

    /** The window's content. */
    Parent root() {
        return root;
    }

    /** What the views share. */
    WorkbenchContext context() {
        return context;
    }

    /** The zero-shot feature. */
    ZeroShotViewModel zeroShot() {
        return zeroShot;
    }

    /** The projects. */
    ProjectViewModel projects() {
        return projects;
    }

    /** The gallery feature. */
    GalleryViewModel gallery() {
        return gallery;
    }

    /** The gallery's commands (labeled shots, runs shown). */
    GalleryController galleryController() {
        return galleryController;
    }

    /** The menus. */
    WorkbenchMenus menus() {
        return menus;
    }

    /** Installs the shortcuts that no menu item carries (run, cancel, tabs). */
    void installShortcuts(Scene scene) {
        scene.getAccelerators().put(Shortcut.RUN.keys(), zeroShot::run);
        scene.getAccelerators().put(Shortcut.CANCEL.keys(), zeroShot::cancel);
        scene.getAccelerators().put(Shortcut.GALLERY_TAB.keys(), () -> showTab(0));
        scene.getAccelerators().put(Shortcut.SECOND_TAB.keys(), () -> showTab(1));
        scene.getAccelerators().put(Shortcut.THIRD_TAB.keys(), () -> showTab(2));
        scene.getAccelerators().put(Shortcut.FOURTH_TAB.keys(), () -> showTab(3));
    }

    /** Cancels any run, saves and closes the project, closes the model and stops the background threads. */
    void close() {
        training.model().close();
        try {
            projects.closeNow();
        } catch (IOException e) {
            System.err.println("Cannot save the project on exit: " + e.getMessage());
        }
        zeroShot.close();
        context.close();
        thumbnails.close();
    }

    Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
