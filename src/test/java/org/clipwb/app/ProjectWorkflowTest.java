package org.clipwb.app;

import static org.clipwb.app.WindowReads.fx;
import static org.clipwb.app.WindowReads.settledStatus;
import static org.clipwb.app.WindowReads.status;
import static org.clipwb.app.WindowReads.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Window;
import org.clipwb.app.gallery.FlipFilter;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.app.gallery.GallerySort;
import org.clipwb.app.gallery.SignalFilter;
import org.clipwb.app.project.ProjectSettings;
import org.clipwb.app.project.RecentProjects;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.app.runs.LabelSource;
import org.clipwb.app.ui.Shortcut;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.ui.Theme;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.data.LabeledShots;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.demo.SampleProjects;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.store.HubClient;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.testing.InMemoryPreferences;
import org.clipwb.testing.LabelledImages;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the window's shell and projects headless (Monocle) with the bundled demo model: sample projects open as
 * projects, a new project takes none of the previous project's inputs, inputs edited in place are saved to the
 * catalog, labeled shots from the gallery, a run's signals in the gallery, themes, shortcuts and About (the download
 * dialog is driven in {@link WorkbenchAppTest}). Caches, preferences and projects are temporary.
 */
class ProjectWorkflowTest extends FxRobot {
    private static final long TIMEOUT_SECONDS = 120;
    /** A small laptop screen's window, side panes included (as the gallery's check in WorkbenchAppTest). */
    private static final double NARROW_WIDTH = 1000;
    private static final double NARROW_HEIGHT = 720;

    @TempDir
    static Path caches;

    @TempDir
    Path dir;

    private Path images;
    private Path projectsHome;
    private Application app;

    @BeforeAll
    static void registerStage() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void copyImages() throws Exception {
        images = LabelledImages.copyInto(Files.createDirectories(dir.resolve("photos")));
        projectsHome = dir.resolve("projects");
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            FxToolkit.cleanupApplication(app);
        }
        FxToolkit.cleanupStages();
    }

    @Test
    void aSampleProjectsInputsStayWithItAndANewProjectStartsFromItsOwn() throws Exception {
        start(offlineStore());
        SampleProject sample = SampleProject.SHAPES_SHIFTED;
        clickOn("Project").clickOn("Sample projects").clickOn(sample.folderName());
        waitForRun();
        assertEquals(sample.folderName(), text(this, "#projectName"));
        Path sampleProject = projectsHome.resolve(sample.folderName());
        assertTrue(Files.isRegularFile(sampleProject.resolve(ProjectCatalog.FILE)), "the sample has a catalog");
        String sampleTemplates = fx(lookup("#templatesChoice").<String>queryComboBox()::getValue);
        assertTrue(sampleTemplates.endsWith("templates.txt"), sampleTemplates);
        settledStatus(this, "Classified ");

        // The reported bug: a folder opened later kept the sample's templates. A new project starts from its own.
        clickOn("Project").clickOn("New project…");
        assertEquals("Give the project a name", text(this, "#newProjectProblem"));
        assertTrue(lookup("Create").queryButton().isDisabled(), "nothing to create yet");
        interact(() -> lookup("#newProjectName").queryAs(TextField.class).setText("pets"));
        assertEquals("Choose an image folder", text(this, "#newProjectProblem"));
        interact(() -> lookup("#newProjectImages").queryAs(TextField.class).setText(images.toString()));
        clickOn("#classesFromFolders");
        assertEquals("cat\ndog\n", fx(lookup("#newProjectClasses").queryAs(TextArea.class)::getText));
        assertEquals(projectsHome.resolve("pets").toString(),
                fx(lookup("#newProjectFolder").queryAs(TextField.class)::getText));
        clickOn("Create");
        waitForRun();
        assertEquals("pets", text(this, "#projectName"));
        assertEquals(PromptTemplates.DEFAULT_TEMPLATE, fx(lookup("#templatesChoice").<String>queryComboBox()::getValue));
        assertEquals("cat\ndog\n", fx(lookup("#classListEditor").queryAs(TextArea.class)::getText));
        assertEquals(images.toString(), fx(lookup("#imageFolderField").queryAs(TextField.class)::getText));
        settledStatus(this, "Classified 7 images into 2 classes");

        // Back to the sample through the recent projects: its own inputs again.
        clickOn("Project").clickOn("Open recent").clickOn(sample.folderName() + "  —  " + sampleProject);
        waitForRun();
        assertEquals(sampleTemplates, fx(lookup("#templatesChoice").<String>queryComboBox()::getValue));
    }

    @Test
    void classesEditedInPlaceAreSavedToTheProjectWithTheWindowState() throws Exception {
        start(offlineStore());
        openPets();
        clickOn("#classListEditor").push(KeyCode.CONTROL, KeyCode.END).write("bird");
        push(KeyCode.CONTROL, KeyCode.ENTER);
        waitForRun();
        settledStatus(this, "Re-classified 7 images into 3 classes");
        interact(() -> window().gallery().sortProperty().set(GallerySort.CONFIDENCE_LOW_FIRST));
        clickOn("Project").clickOn("Close project");
        waitForBackground();
        assertEquals("No project", text(this, "#projectName"));
        try (WorkbenchProject saved = WorkbenchProject.open(projectsHome.resolve("pets"))) {
            assertEquals("cat\ndog\nbird", saved.settings().classList());
            assertEquals(GallerySort.CONFIDENCE_LOW_FIRST.name(), saved.uiSettings().get("gallery.sort"));
        }
        interact(() -> window().gallery().sortProperty().set(GallerySort.FILE_NAME));
        clickOn("Project").clickOn("Open recent").clickOn("pets  —  " + projectsHome.resolve("pets"));
        waitForRun();
        assertEquals(GallerySort.CONFIDENCE_LOW_FIRST, fx(() -> window().gallery().sortProperty().get()),
                "the project's own window state");
        assertEquals("cat\ndog\nbird", fx(lookup("#classListEditor").queryAs(TextArea.class)::getText));
    }

    @Test
    void vouchingAndCorrectingAddLabeledShotsThatTheMethodsRead() throws Exception {
        start(offlineStore());
        openPets();
        GalleryItem first = fx(() -> window().gallery().visibleItems().get(0));
        clickOn(lookup(".gallery-cell").<GridCell<GalleryItem>>queryAll().stream()
                .filter(cell -> cell.getItem() == first).findFirst().orElseThrow());
        push(KeyCode.V);
        waitForBackground();
        push(KeyCode.SHIFT, KeyCode.RIGHT);
        assertEquals(2, (int) fx(() -> window().gallery().selection().size()));
        GalleryItem second = fx(() -> window().gallery().selectedProperty().get());
        push(KeyCode.C); // the gallery's menu, at the grid, to pick the right class
        GridView<GalleryItem> grid = lookup("#gallery").query();
        assertTrue(fx(() -> grid.getContextMenu().isShowing()));
        interact(() -> {
            Menu correct = (Menu) grid.getContextMenu().getItems().stream()
                    .filter(item -> "correctMenu".equals(item.getId())).findFirst().orElseThrow();
            correct.getItems().stream().filter(item -> "correctTo-dog".equals(item.getId())).findFirst()
                    .orElseThrow().fire();
            grid.getContextMenu().hide();
        });
        waitForBackground();

        WorkbenchProject project = fx(() -> window().context().project());
        Map<Path, String> shots = fx(() -> Map.copyOf(window().gallery().shots()));
        assertEquals(Map.of(first.path(), "dog", second.path(), "dog"), shots, "the correction replaced the vouch");
        List<LabeledShots.Shot> read = LabeledShots.read(project.shotsFile(), ClassList.parse("cat\ndog\n"), images);
        assertEquals(2, read.size());
        assertTrue(read.stream().allMatch(shot -> shot.label() == 1));
        assertEquals(project.shotsFile().toAbsolutePath().toString(),
                project.runInputs().get(RunRecord.INPUT_SHOTS), "runs of the project use the shots");

        interact(() -> window().gallery().shotFilterProperty().set(SignalFilter.YES));
        assertEquals("Showing 2 of 7 images", text(this, "#galleryCount"));
    }

    @Test
    void aCoftRunsSignalsDriveTheGallerysBadgesAndFilters() throws Exception {
        start(offlineStore());
        openPets();
        WorkbenchProject project = fx(() -> window().context().project());
        RunRecord run = project.catalog().createRun("coft", 1, Map.of(), project.runInputs());
        int n = 7;
        int[] zeroShot = fx(() -> window().gallery().allItems().stream().mapToInt(GalleryItem::predicted).toArray());
        int[] flippedFirst = zeroShot.clone();
        flippedFirst[0] = 1 - flippedFirst[0];
        boolean[] kept = {true, false, true, false, true, true, true};
        float[] positive = new float[n * 2];
        for (int i = 0; i < n; i++) {
            positive[2 * i + flippedFirst[i]] = 1;
        }
        new RunSignals(project.catalog().runDirectory(run.id())).save(new PhaseSignals("phase2", 1, flippedFirst,
                new float[n], kept, Map.of("coft.p_clean", Tensor.of(new float[n]), "coft.s_pos_a",
                        new Tensor(positive, n, 2), "coft.s_pos_b", new Tensor(positive, n, 2))));
        interact(() -> window().context().refreshRuns());
        ComboBox<RunRecord> runs = lookup("#runChoice").queryComboBox();
        interact(() -> runs.setValue(runs.getItems().get(1)));
        waitForBackground();
        interact(() -> window().gallery().cleanFilterProperty().set(SignalFilter.NO));
        assertEquals("Showing 2 of 7 images", text(this, "#galleryCount"));
        assertEquals(2, lookup(".noisy-icon").queryAll().stream().filter(node -> node.isVisible()).count());
        interact(() -> window().gallery().clearFilters());
        interact(() -> window().gallery().flipFilterProperty().set(FlipFilter.FROM_ZERO_SHOT));
        assertEquals("Showing 1 of 7 images", text(this, "#galleryCount"));
    }

    @Test
    void theProjectOpenedLastOpensAgainOnTheNextStart() throws Exception {
        Preferences preferences = new InMemoryPreferences().node("workbench");
        try (WorkbenchProject project = WorkbenchProject.create(projectsHome.resolve("garden"),
                ProjectSettings.of(images.toString(), "cat\ndog\n"))) {
            new RecentProjects(preferences).add(project.directory());
        }
        start(offlineStore(), preferences);
        waitForRun();
        assertEquals("garden", text(this, "#projectName"));
        settledStatus(this, "Classified 7 images into 2 classes");
    }

    @Test
    void aFolderThatIsNoProjectIsAPlainErrorThatSaysWhatToDo() throws Exception {
        start(offlineStore());
        Path notAProject = Files.createDirectories(dir.resolve("holiday-photos"));
        interact(() -> window().projects().open(notAProject, project -> { }));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane dialog = lookup(".dialog-pane").query();
        assertEquals("Cannot open the project " + notAProject, fx(dialog::getHeaderText));
        assertEquals(notAProject + " is not a workbench project (it has no catalog.sqlite). Use Project › New "
                + "project to make one", fx(() -> ((Label) dialog.getContent()).getText()));
        assertEquals("No project", text(this, "#projectName"));
        assertFalse(Files.exists(notAProject.resolve(ProjectCatalog.FILE)), "nothing was written into the folder");
    }

    @Test
    void themesShortcutsAndTheAboutBox() throws Exception {
        start(offlineStore());
        assertFalse(fx(() -> window().root().getStyleClass().contains("dark")));
        push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T);
        assertTrue(fx(() -> window().root().getStyleClass().contains("dark")), "Ctrl+Shift+T: dark");
        clickOn("View").clickOn("Theme").clickOn("Light");
        assertFalse(fx(() -> window().root().getStyleClass().contains("dark")));

        push(KeyCode.F1);
        GridPane table = lookup("#shortcutTable").query();
        assertEquals(2 * Shortcut.values().length, fx(() -> table.getChildren().size()));
        assertTrue(fx(() -> table.getChildren().stream().anyMatch(node -> node instanceof Label label
                && label.getText().equals("Gallery: vouch for the selected labels"))));
        clickOn("Close");
        clickOn("Help").clickOn("About CLIP Workbench");
        String about = fx(() -> lookup("#aboutContent").queryAs(VBox.class).getChildren()
                .stream().map(node -> ((Label) node).getText()).reduce("", String::concat));
        for (String expected : List.of("Ibing, Lim, Kobbelt", "Cao et al.", "WACV 2025", "CoFT", "FLYP",
                "Tip-Adapter", "CLIP-Adapter", "UPL", "Radford et al.")) {
            assertTrue(about.contains(expected), expected);
        }
        clickOn("Close");
    }

    @Test
    void dialogsOpenedInTheDarkThemeAreDarkAndFollowASwitch() throws Exception {
        start(offlineStore());
        push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T); // dark
        assertEquals(Theme.DARK.userAgentStylesheet(), fx(Application::getUserAgentStylesheet));

        clickOn("Help").clickOn("About CLIP Workbench");
        DialogPane about = lookup(".dialog-pane").queryAs(DialogPane.class);
        assertDark(about, true);
        Label title = fx(() -> (Label) about.lookup("#aboutContent .section-title"));
        assertEquals(Color.web("#d1d5db"), fx(title::getTextFill), "workbench.css's dark colours apply");
        assertTrue(luminance(fx(() -> about.getBackground().getFills().get(0).getFill())) < 0.3,
                "AtlantaFX's dark dialog background");
        interact(() -> window().menus().themeProperty().set(Theme.LIGHT)); // while the dialog is open

        assertDark(about, false);
        assertEquals(Color.web("#4b5563"), fx(title::getTextFill), "and follows a switch");
        clickOn("Close");

        push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T); // dark again
        push(KeyCode.F1);
        assertTrue(lookup("#shortcutTable").tryQuery().isPresent());
        assertDark(lookup(".dialog-pane").queryAs(DialogPane.class), true);
        clickOn("Close");
        interact(() -> window().context().showError("Cannot do that", new IllegalStateException("Open a project")));
        assertDark(lookup(".dialog-pane").queryAs(DialogPane.class), true);
        clickOn("OK");
        clickOn("View").clickOn("Theme").clickOn("Light");
    }

    private static void assertDark(DialogPane pane, boolean dark) throws Exception {
        assertTrue(fx(() -> pane.getStylesheets().contains(Styles.styleSheet())), "the workbench's style sheet");
        assertEquals(dark, fx(() -> pane.getScene().getRoot().getStyleClass().contains(Theme.DARK_CLASS)));
    }

    private static double luminance(javafx.scene.paint.Paint paint) {
        Color colour = (Color) paint;
        return 0.2126 * colour.getRed() + 0.7152 * colour.getGreen() + 0.0722 * colour.getBlue();
    }

    @Test
    void atAThousandPixelsEveryTrainingAndRunsControlIsInViewBesideTheSidePanes() throws Exception {
        start(offlineStore());
        openPets();
        Window stage = fx(() -> lookup("#gallery").query().getScene().getWindow());
        AutoCloseable restore = InView.resized(stage, NARROW_WIDTH, NARROW_HEIGHT);
        try {
            checkTrainingAndRunsInView();
        } finally {
            restore.close();
        }
    }

    private void checkTrainingAndRunsInView() throws Exception {
        Node tabs = lookup("#workbenchTabs").query();
        for (String pane : List.of("#projectName", "#imageTabs")) {
            assertTrue(fx(() -> InView.sceneBounds(lookup(pane).query()).getWidth()) >= 150,
                    pane + " keeps a usable width");
        }

        // Training, with LatteCLIP chosen so that the descriptions row is shown too.
        clickOn("#tab-training");
        ComboBox<MethodInfo> methods = lookup("#method").queryComboBox();
        interact(() -> methods.setValue(method(methods, "latteclip")));
        assertInView(tabs, "#method", "#phase", "#device", "#seed", "#start", "#pause", "#resume", "#cancel",
                "#unfinishedRuns", "#memoryEstimate", "#testImages", "#chooseTestImages", "#descriptions",
                "#chooseDescriptions", "#phaseDescription", "#settingsSheet", "#resetSettings", "#chart-loss",
                "#chart-accuracy", "#chart-clean_fraction", "#chart-learning_rate", "#state", "#progress", "#log");
        assertTrue(fx(() -> InView.sceneBounds(lookup("#settingsSheet").query()).getHeight()) >= 150,
                "the settings keep a usable height");
        // Reachable: the robot uses the last control and the first.
        interact(() -> InView.scrollIntoView(lookup("#resetSettings").query()));
        clickOn("#resetSettings");
        interact(() -> InView.scrollIntoView(lookup("#method").query()));
        clickOn("#method").clickOn(method(methods, "zero-shot").title());
        clickOn("#start");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> !window().context().runs()
                .isEmpty() && window().context().runs().get(0).status() == RunRecord.Status.DONE));

        // Runs, with the run and zero-shot compared (the sides' long names in their boxes).
        clickOn("#tab-runs");
        interact(() -> lookup("#runsTable").queryTableView().getSelectionModel().select(1));
        clickOn("#compareWithZeroShot");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> !lookup("#comparisonSummary")
                .queryLabeled().getText().isEmpty()));
        assertInView(tabs, "#runsTable", "#compareWithZeroShot", "#exportCsv", "#exportTree", "#copyImages",
                "#exportModel", "#exportReport", "#present", "#sourceA", "#sourceB", "#comparisonSummary",
                "#metricsTable", "#changesTable");
        // The history's columns keep their titles readable and the table scrolls sideways to the last.
        ScrollBar sideways = fx(() -> lookup("#runsTable .scroll-bar").queryAllAs(
                ScrollBar.class).stream().filter(bar -> bar.getOrientation()
                        == Orientation.HORIZONTAL).findFirst().orElseThrow());
        assertTrue(fx(sideways::isVisible), "the history scrolls sideways");
        interact(() -> sideways.setValue(sideways.getMax()));
        InView.assertWithin("the Note column", fx(() -> lookup("#runsTable .column-header").queryAll().stream()
                .filter(header -> header.lookup(".label") instanceof Label title && title.getText().equals("Note"))
                .findFirst().orElseThrow()), tabs);
        clickOn("#sourceB").clickOn(fx(() -> lookup("#sourceB").<LabelSource>queryComboBox().getItems().get(0))
                .toString());
        clickOn("#present");
        assertTrue(fx(() -> lookup("#slideTitle").tryQuery().isPresent()), "the presentation opened");
    }

    /** Scrolls each control into view as a user would and asserts that it lies wholly within {@code area}. */
    private void assertInView(Node area, String... ids) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        for (String id : ids) {
            Node control = lookup(id).query();
            interact(() -> InView.scrollIntoView(control));
            InView.assertWithin(id, control, area);
        }
    }

    private static MethodInfo method(ComboBox<MethodInfo> methods, String id) {
        return methods.getItems().stream().filter(info -> info.id().equals(id)).findFirst().orElseThrow();
    }

    /** Creates and opens the project "pets" on the seven labelled images with the demo model, and waits for its run. */
    private void openPets() throws Exception {
        interact(() -> window().projects().create(projectsHome.resolve("pets"),
                ProjectSettings.of(images.toString(), "cat\ndog\n"), null, project -> window().zeroShot().run()));
        waitForRun();
        settledStatus(this, "Classified 7 images");
    }

    private void start(ModelStore store) throws Exception {
        start(store, new InMemoryPreferences().node("workbench"));
    }

    private void start(ModelStore store, Preferences preferences) throws Exception {
        WorkbenchConfig config = new WorkbenchConfig(store, caches.resolve("embeddings.sqlite"), preferences,
                new SampleProjects(dir.resolve("no-projects-here"), dir.resolve("home")), projectsHome);
        app = FxToolkit.setupApplication(() -> new WorkbenchApp(config));
    }

    private ModelStore offlineStore() {
        return new ModelStore(dir.resolve("models"), HubClient.builder().build(), true);
    }

    /** Waits until no background task and no run is going on. */
    private void waitForRun() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> !window().zeroShot()
                .runningProperty().get() && window().context().backgroundTasks().isEmpty()
                && (status(this).startsWith("Classified") || status(this).startsWith("Re-classified")
                        || status(this).startsWith("Cancelled") || status(this).startsWith("Failed"))));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void waitForBackground() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> fx(() -> window().context().backgroundTasks().isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private WorkbenchWindow window() {
        return ((WorkbenchApp) app).window();
    }
}
