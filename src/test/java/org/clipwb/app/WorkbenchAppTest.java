package org.clipwb.app;

import static org.clipwb.app.WindowReads.fx;
import static org.clipwb.app.WindowReads.settledStatus;
import static org.clipwb.app.WindowReads.status;
import static org.clipwb.app.WindowReads.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.clipwb.app.gallery.ClassFilter;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.app.ui.Styles;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.demo.SampleProjects;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.store.FakeHub;
import org.clipwb.core.store.HubClient;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.CommentedLines;
import org.clipwb.testing.InMemoryPreferences;
import org.clipwb.testing.LabelledImages;
import org.clipwb.testing.TestData;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.controlsfx.control.RangeSlider;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the real window (headless, Monocle) with the tiny fixture model on the seven fixture images in "cat" and
 * "dog" subfolders. Model cache, embedding cache and preferences are temporary, never the user's.
 */
class WorkbenchAppTest extends FxRobot {
    private static final String MODEL = TestData.tinyClip().resolve("hf").toString();
    private static final long RUN_TIMEOUT_SECONDS = 60;
    /** A small laptop screen's window, side panes included. */
    private static final double NARROW_WIDTH = 1000;

    @TempDir
    static Path caches;

    @TempDir
    Path dir;

    private Path images;
    private Application app;
    private FakeHub hub;

    @BeforeAll
    static void registerStage() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void copyImages() throws Exception {
        images = LabelledImages.copyInto(Files.createDirectories(dir.resolve("photos")));
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            FxToolkit.cleanupApplication(app);
        }
        FxToolkit.cleanupStages();
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void runShowsEveryImageWithItsPredictedClassAndConfidence() throws Exception {
        startAndRun();
        settledStatus(this, "Classified 7 images into 2 classes in ");
        assertEquals("Showing 7 of 7 images", text(this, "#galleryCount"));
        assertTrue(text(this, "#evaluationText").startsWith("Accuracy "), text(this, "#evaluationText"));
        List<GridCell<GalleryItem>> cells = cellsInReadingOrder();
        assertEquals(7, cells.size(), "all seven tiles are on screen");
        for (GridCell<GalleryItem> cell : cells) {
            String predicted = ((Label) cell.lookup(".cell-class")).getText();
            assertTrue(Set.of("cat", "dog").contains(predicted), predicted);
            assertEquals(Styles.percent(cell.getItem().confidence()), ((Label) cell.lookup(".cell-percent")).getText());
            assertEquals(cell.getItem().isMistake(), cell.lookup(".mistake-icon").isVisible());
        }
        assertEquals(List.of("big_rgb.png", "gray.png", "palette.png", "square_rgba.png", "tall_rgb.jpg", "tiny.png",
                "wide_rgb.png"), cells.stream().map(cell -> cell.getItem().fileName()).toList());
    }

    @Test
    void firstStartRunsTheBundledDemoModelOffline() throws Exception {
        start(offlineStore());
        ComboBox<String> picker = lookup("#modelChoice").queryComboBox();
        assertEquals(ModelStore.DEFAULT_MODEL, fx(picker::getValue));
        assertEquals(ModelStore.DEFAULT_MODEL, fx(() -> picker.getItems().get(0)));
        assertTrue(text(this, "#modelDescription").endsWith("(bundled: works offline, no download)"),
                text(this, "#modelDescription"));
        TextField folder = lookup("#imageFolderField").queryAs(TextField.class);
        interact(() -> folder.setText(images.toString()));
        clickOn("#classListEditor").write("cat\ndog\n");
        clickOn("#runButton");
        waitUntilIdle();
        settledStatus(this, "Classified 7 images into 2 classes in ");
        assertEquals(ModelStore.DEFAULT_MODEL + " (fp32, safetensors, Hugging Face layout)", text(this, "#loadedModel"));
    }

    @Test
    void theSampleProjectMenuOffersEveryProject() throws Exception {
        start(offlineStore());
        MenuButton menu = lookup("#sampleProjectsButton").queryAs(MenuButton.class);
        assertEquals(Arrays.stream(SampleProject.values()).map(project -> "sampleProject-" + project.folderName())
                .toList(), fx(() -> menu.getItems().stream().map(MenuItem::getId).toList()));
    }

    @Test
    void openingASampleProjectGeneratesItFillsTheFormAndRunsTheDemoModel() throws Exception {
        SampleProject sample = SampleProject.SHAPES_SHIFTED;
        start(offlineStore(), new SampleProjects(dir.resolve("no-projects-here"), dir.resolve("home")));
        ComboBox<String> picker = lookup("#modelChoice").queryComboBox();
        interact(() -> picker.setValue(MODEL)); // another model, which the sample project replaces
        clickOn("#sampleProjectsButton").clickOn(sample.folderName());
        WaitForAsyncUtils.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> status(this).startsWith("Classified ") || status(this).startsWith("Failed"));
        waitUntilIdle();

        ProjectFolder project = new ProjectFolder(dir.resolve("home/sample-projects").resolve(sample.folderName()));
        assertTrue(SampleProjects.isComplete(sample, project), "generated under the workbench home");
        assertEquals(project.images().toString(), fx(lookup("#imageFolderField").queryAs(TextField.class)::getText));
        assertEquals(CommentedLines.readUtf8(project.classList()),
                fx(lookup("#classListEditor").queryAs(TextArea.class)::getText));
        int classes = sample.task().classNames().size();
        assertEquals(classes + " classes", text(this, "#classListStatus"));
        assertEquals(project.templates().toString(), fx(lookup("#templatesChoice").<String>queryComboBox()::getValue));
        assertEquals("One template: " + sample.task().template().replace("{}", "<class>"), text(this, "#templatesHint"));
        assertEquals(ModelStore.DEFAULT_MODEL, fx(picker::getValue));
        long images;
        try (var files = Files.walk(project.images())) {
            images = files.filter(Files::isRegularFile).count();
        }
        settledStatus(this, "Classified " + images + " images into " + classes + " classes in ");
        assertTrue(text(this, "#evaluationText").startsWith("Accuracy "), text(this, "#evaluationText"));
    }

    @Test
    void aSampleProjectThatCannotBeGeneratedIsAnErrorDialogNamingTheFolder() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("home"), "a file where the workbench home should be");
        start(offlineStore(), new SampleProjects(dir.resolve("no-projects-here"), notAFolder));
        clickOn("#sampleProjectsButton").clickOn(SampleProject.COLOURS_CLUTTERED.folderName());
        WaitForAsyncUtils.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> lookup(".dialog-pane").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();

        DialogPane dialog = lookup(".dialog-pane").queryAs(DialogPane.class);
        assertEquals("Cannot open the sample project colours-cluttered", fx(dialog::getHeaderText));
        String message = fx(() -> ((Label) dialog.getContent()).getText());
        assertTrue(message.startsWith("Cannot generate the sample project colours-cluttered in "
                + notAFolder.resolve("sample-projects/colours-cluttered")), message);
        assertFalse(lookup("#sampleProjectsButton").query().isDisabled(), "idle again: another try is possible");
    }

    @Test
    void sortingByConfidenceOrdersTheCells() throws Exception {
        startAndRun();
        clickOn("#sortChoice").clickOn("Confidence: high to low");
        List<Double> shown = fx(() -> cellsInReadingOrder().stream().map(cell -> cell.getItem().confidence())
                .toList());
        assertEquals(7, shown.size());
        assertEquals(shown.stream().sorted(Comparator.reverseOrder()).toList(), shown);
        clickOn("#sortChoice").clickOn("Confidence: low to high");
        shown = fx(() -> cellsInReadingOrder().stream().map(cell -> cell.getItem().confidence()).toList());
        assertEquals(shown.stream().sorted().toList(), shown);
    }

    @Test
    void filtersByClassConfidenceAndMistakesReduceTheCount() throws Exception {
        startAndRun();
        ComboBox<ClassFilter> byClass = lookup("#classFilter").queryComboBox();
        ClassFilter smallest = byClass.getItems().stream().filter(f -> f.classIndex() != ClassFilter.ALL)
                .min(Comparator.comparingInt(ClassFilter::count)).orElseThrow();
        assertTrue(smallest.count() < 7);
        clickOn("#classFilter").clickOn(smallest.toString());
        assertEquals("Showing " + smallest.count() + " of 7 images", text(this, "#galleryCount"));
        clickOn("#classFilter").clickOn("All classes (7)");
        assertEquals("Showing 7 of 7 images", text(this, "#galleryCount"));

        List<Double> confidences = galleryItems().stream().map(GalleryItem::confidence)
                .sorted(Comparator.reverseOrder()).toList();
        double fourthHighest = confidences.get(3);
        RangeSlider range = lookup("#confidenceRange").query();
        interact(() -> range.setLowValue(fourthHighest));
        assertEquals("Showing 4 of 7 images", text(this, "#galleryCount"));
        assertTrue(text(this, "#confidenceRangeText").endsWith("–100%"), text(this, "#confidenceRangeText"));
        interact(() -> range.setLowValue(0));

        long mistakes = galleryItems().stream().filter(GalleryItem::isMistake).count();
        clickOn("#onlyMistakes");
        assertEquals("Showing " + mistakes + " of 7 images", text(this, "#galleryCount"));
    }

    @Test
    void editingTheClassListReclassifiesWithoutReembedding() throws Exception {
        startAndRun();
        EmbeddedFolder embedded = fx(() -> window().zeroShot().resultProperty().get().run().images());
        assertEquals("Run", lookup("#runButton").queryButton().getText());
        clickOn("#classListEditor").push(KeyCode.CONTROL, KeyCode.END).write("bird");
        assertEquals("Re-classify", lookup("#runButton").queryButton().getText());
        push(KeyCode.CONTROL, KeyCode.ENTER); // the Run shortcut, from inside the editor
        waitUntilIdle();
        String reclassified = settledStatus(this, "Re-classified 7 images into 3 classes in ");
        assertTrue(reclassified.endsWith("(embeddings reused)"), reclassified);
        assertSame(embedded, fx(() -> window().zeroShot().resultProperty().get().run().images()),
                "the same embeddings: no image was decoded or embedded again");
        assertEquals(4, lookup("#classFilter").queryComboBox().getItems().size(), "All classes + three classes");
        assertEquals("Run", lookup("#runButton").queryButton().getText(), "nothing left to re-classify");
    }

    @Test
    void choosingAnotherModelClosesTheLoadedOne() throws Exception {
        startAndRun();
        assertEquals(MODEL + " (fp32, safetensors, Hugging Face layout)", text(this, "#loadedModel"));
        ComboBox<String> picker = lookup("#modelChoice").queryComboBox();
        interact(() -> picker.setValue(TestData.tinyClip().resolve("open_clip").toString()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(this, "#loadedModel").equals("No model loaded"));
        assertEquals("Run", lookup("#runButton").queryButton().getText());
    }

    @Test
    void halfPrecisionLoadsTheModelInFp16AndChangingItAgainMeansAReload() throws Exception {
        start(offlineStore());
        fillInputs(MODEL, "cat\ndog\n");
        clickOn("#precisionChoice").clickOn("fp16 (half precision)");
        assertTrue(text(this, "#precisionHint").contains("may be slower on older CPUs"), text(this, "#precisionHint"));
        clickOn("#runButton");
        waitUntilIdle();
        settledStatus(this, "Classified 7 images into 2 classes in ");
        assertEquals(MODEL + " (fp16, safetensors, Hugging Face layout)", text(this, "#loadedModel"));

        clickOn("#classListEditor").push(KeyCode.CONTROL, KeyCode.END).write("bird");
        assertEquals("Re-classify", lookup("#runButton").queryButton().getText());
        clickOn("#precisionChoice").clickOn("fp32 (full precision)");
        assertEquals("Run", lookup("#runButton").queryButton().getText(), "the model must be loaded again");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(this, "#loadedModel").equals("No model loaded"));
    }

    @Test
    void invalidClassListDisablesRunAndNamesTheLine() throws Exception {
        start(offlineStore());
        fillInputs(MODEL, "cat\ndog\n");
        assertFalse(lookup("#runButton").queryButton().isDisabled());
        clickOn("#classListEditor").write("Cat");
        Button run = lookup("#runButton").queryButton();
        assertTrue(run.isDisabled());
        String problem = text(this, "#classListStatus");
        assertTrue(problem.startsWith("Class list: line 3: class \"Cat\" duplicates line 1"), problem);
        assertEquals(problem, text(this, "#runHint"));
        TextArea editor = lookup("#classListEditor").query();
        assertTrue(editor.getPseudoClassStates().contains(Styles.INVALID));
        clickOn(editor).push(KeyCode.CONTROL, KeyCode.END);
        push(KeyCode.BACK_SPACE).push(KeyCode.BACK_SPACE).push(KeyCode.BACK_SPACE);
        assertFalse(run.isDisabled());
        assertEquals("2 classes", text(this, "#classListStatus"));
    }

    @Test
    void cancelDuringTheModelDownloadReturnsToIdle() throws Exception {
        hub = FakeHub.start().addRepo("test/tiny-clip", Path.of(MODEL));
        hub.failNextCdnGet(FakeHub.Fault.STALL_AFTER_HALF); // the weights stop arriving halfway
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).build();
        start(new ModelStore(dir.resolve("models"), client, false));
        fillInputs("test/tiny-clip", "cat\ndog\n");
        assertEquals("A Hugging Face model: downloaded on the first run", text(this, "#modelDescription"));
        clickOn("#runButton");
        WaitForAsyncUtils.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> status(this).startsWith("Downloading test/tiny-clip, model.safetensors: "));
        String downloading = status(this);
        assertTrue(downloading.contains(" MB, ") && downloading.contains(" MB/s"), downloading);
        assertTrue(lookup("#runButton").queryButton().isDisabled(), "one run at a time");
        // The download's dialog shows the same progress, and its Cancel cancels the run.
        WaitForAsyncUtils.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> lookup("#downloadDialog").tryQuery().isPresent());
        DialogPane download = lookup("#downloadDialog").query();
        assertTrue(text(this, "#downloadFile").startsWith("test/tiny-clip: model.safetensors"), text(this, "#downloadFile"));
        assertTrue(text(this, "#downloadNumbers").contains(" MB/s"), text(this, "#downloadNumbers"));
        clickOn(fx(() -> download.lookupButton(ButtonType.CANCEL)));
        waitUntilIdle();
        assertEquals("Cancelled", settledStatus(this, "Cancelled"));
        assertEquals(0, fx(() -> ((StatusBar) lookup("#statusBar").query()).getProgress()));
        assertFalse(lookup("#runButton").queryButton().isDisabled());
        assertEquals(1, fx(() -> Window.getWindows().stream().filter(Window::isShowing).count()),
                "no error dialog, and the download's dialog closed");
        assertEquals("No images yet", text(this, "#galleryCount"));
    }

    @Test
    void selectingAnImageShowsItsDetailsAndArrowKeysMoveOn() throws Exception {
        startAndRun();
        List<GridCell<GalleryItem>> cells = cellsInReadingOrder();
        clickOn(cells.get(0));
        GalleryItem first = cells.get(0).getItem();
        assertEquals(first.fileName(), text(this, "#detailsFileName"));
        assertEquals(first.labelName(), ((Label) lookup("#detailsLabel").query()).getText());
        assertEquals(2 * 3, lookup("#detailsTopClasses").queryAs(javafx.scene.layout.GridPane.class)
                .getChildren().size(), "two classes: name, bar and percentage each");
        push(KeyCode.RIGHT);
        assertEquals(cells.get(1).getItem().fileName(), text(this, "#detailsFileName"));
    }

    @Test
    void atAThousandPixelsEveryGalleryControlIsInViewBesideTheSidePanes() throws Exception {
        startAndRun();
        Window stage = fx(() -> lookup("#gallery").query().getScene().getWindow());
        AutoCloseable restore = InView.resized(stage, NARROW_WIDTH, 720);
        try {
            checkGalleryInView();
        } finally {
            restore.close();
        }
    }

    private void checkGalleryInView() throws Exception {
        interact(() -> window().gallery().flipFilterProperty().set(
                org.clipwb.app.gallery.FlipFilter.FROM_COMPARED_RUN));
        WaitForAsyncUtils.waitForFxEvents();
        Node gallery = lookup(".gallery-pane").query();
        Node tabs = lookup("#workbenchTabs").query();
        Bounds area = fx(() -> sceneBounds(tabs));
        assertTrue(fx(() -> gallery.getScene().getWidth()) <= NARROW_WIDTH, "the window is narrow");
        assertTrue(fx(() -> sceneBounds(gallery).getMaxX()) <= area.getMaxX() + 0.5,
                "the gallery fits its tab: " + fx(() -> sceneBounds(gallery)) + " in " + area);
        double gridTop = fx(() -> sceneBounds(lookup("#gallery").query()).getMinY());
        for (String pane : List.of("#projectName", "#imageTabs")) {
            Bounds side = fx(() -> sceneBounds(lookup(pane).query()));
            assertTrue(side.getWidth() >= 150, pane + " keeps a usable width: " + side);
        }
        for (String id : List.of("#runChoice", "#sortChoice", "#classFilter", "#confidenceRange",
                "#confidenceRangeText", "#onlyMistakes", "#cleanFilter", "#agreementFilter", "#flipFilter",
                "#comparedRunChoice", "#shotFilter", "#galleryCount")) {
            Node control = lookup(id).query();
            Bounds bounds = fx(() -> sceneBounds(control));
            assertTrue(fx(control::isVisible), id + " is shown");
            assertTrue(bounds.getWidth() > 0 && bounds.getMinX() >= area.getMinX() - 0.5
                    && bounds.getMaxX() <= area.getMaxX() + 0.5, id + " lies within the gallery: " + bounds + " in "
                    + area);
            assertTrue(bounds.getMinY() >= area.getMinY() && bounds.getMaxY() <= gridTop + 0.5, id
                    + " lies above the grid, not under it: " + bounds + ", grid from y=" + gridTop);
        }
        // Reachable: the robot clicks the last control of the toolbar and the first.
        clickOn("#shotFilter").clickOn("Yes");
        assertEquals(org.clipwb.app.gallery.SignalFilter.YES, fx(() -> window().gallery().shotFilterProperty().get()));
        clickOn("#onlyMistakes");
        assertTrue(fx(() -> window().gallery().onlyMistakesProperty().get()));
    }

    private void startAndRun() throws Exception {
        start(offlineStore());
        fillInputs(MODEL, "cat\ndog\n");
        clickOn("#runButton");
        waitUntilIdle();
    }

    private void start(ModelStore store) throws Exception {
        start(store, new SampleProjects(dir.resolve("working-dir"), dir.resolve("home")));
    }

    private void start(ModelStore store, SampleProjects sampleProjects) throws Exception {
        WorkbenchConfig config = new WorkbenchConfig(store, caches.resolve("embeddings.sqlite"),
                new InMemoryPreferences().node("workbench"), sampleProjects);
        app = FxToolkit.setupApplication(() -> new WorkbenchApp(config));
    }

    private ModelStore offlineStore() {
        return new ModelStore(dir.resolve("models"), HubClient.builder().build(), true);
    }

    /**
     * Pastes the folder and the model (typing long paths key by key is slow under the robot), commits the model with
     * Enter as a user would, and types the class list.
     */
    private void fillInputs(String model, String classes) {
        TextField folder = lookup("#imageFolderField").queryAs(TextField.class);
        interact(() -> folder.setText(images.toString()));
        ComboBox<String> picker = lookup("#modelChoice").queryComboBox();
        interact(() -> picker.getEditor().setText(model));
        clickOn(picker.getEditor()).push(KeyCode.END).push(KeyCode.ENTER);
        assertEquals(model, picker.getValue());
        clickOn("#classListEditor").write(classes);
    }

    private void waitUntilIdle() throws Exception {
        WaitForAsyncUtils.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> lookup("#cancelButton").queryButton().isDisabled());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private WorkbenchWindow window() {
        return ((WorkbenchApp) app).window();
    }

    private List<GalleryItem> galleryItems() throws Exception {
        GridView<GalleryItem> grid = lookup("#gallery").query();
        return fx(() -> List.copyOf(grid.getItems()));
    }

    /** The filled tiles as the user reads them: row by row, left to right. */
    private List<GridCell<GalleryItem>> cellsInReadingOrder() {
        List<GridCell<GalleryItem>> cells = lookup(".gallery-cell").<GridCell<GalleryItem>>queryAll().stream()
                .filter(cell -> cell.getItem() != null && cell.isVisible()).toList();
        return cells.stream().sorted(Comparator.comparingDouble((GridCell<GalleryItem> cell) -> sceneBounds(cell).getMinY())
                .thenComparingDouble(cell -> sceneBounds(cell).getMinX())).toList();
    }

    private static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getBoundsInLocal());
    }
}
