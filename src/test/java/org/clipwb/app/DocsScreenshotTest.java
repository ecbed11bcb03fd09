package org.clipwb.app;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TitledPane;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.app.project.ProjectSettings;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.model.Precision;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.store.HubClient;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.testing.InMemoryPreferences;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.PropertySheet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Takes the README's screenshots of the real window: the bundled demo model on a project of the shapes-shifted sample
 * images. The headline image (the path in {@code clipwb.screenshot}) is the gallery sorted by predicted class with the
 * first wholly visible mistake selected; beside it, in a {@code screenshots} folder, one image per main view after a
 * short self-training run and a short LLU run on the cached embeddings: the Training tab with its charts, the gallery
 * with the LLU run shown and the inspector on an image (α(x)), the Dataset tab's confidence histogram and PCA map, and
 * the Runs tab comparing the LLU run with zero-shot. Runs only when asked, in a real X server:
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" mvn -B -ntp -o test -Pxvfb -Dtest=DocsScreenshotTest
 * -Dclipwb.screenshot=target/shots/screenshot.png}.
 */
@EnabledIfSystemProperty(named = "clipwb.screenshot", matches = ".+")
class DocsScreenshotTest extends FxRobot {
    private static final Path PROJECT = Path.of("sample-projects", "shapes-shifted");
    private static final long TIMEOUT_SECONDS = 300;
    /** Pixels the window widens by for the inspector's image, all given to the inspector. */
    private static final double INSPECTOR_EXTRA_WIDTH = 240;

    @TempDir
    Path dir;

    private Application app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            FxToolkit.cleanupApplication(app);
        }
    }

    @Test
    void screenshots() throws Exception {
        Path headline = Path.of(System.getProperty("clipwb.screenshot")).toAbsolutePath();
        Path views = headline.resolveSibling("screenshots");
        FxToolkit.registerPrimaryStage();
        WorkbenchConfig config = new WorkbenchConfig(new ModelStore(dir.resolve("models"),
                HubClient.builder().build(), true), dir.resolve("embeddings.sqlite"),
                new InMemoryPreferences().node("workbench"));
        app = FxToolkit.setupApplication(() -> new WorkbenchApp(config));
        WorkbenchWindow window = ((WorkbenchApp) app).window();
        ProjectSettings settings = new ProjectSettings(PROJECT.resolve("images").toAbsolutePath().toString(),
                Files.readString(PROJECT.resolve("classes.txt")),
                PROJECT.resolve("templates.txt").toAbsolutePath().toString(), ModelStore.DEFAULT_MODEL, Precision.FP32);
        interact(() -> window.projects().create(dir.resolve("shapes-shifted"), settings, null,
                project -> window.zeroShot().run()));
        await(() -> fx(() -> window.context().project() != null && !window.zeroShot().runningProperty().get()
                && window.context().zeroShotResultProperty().get() != null));

        clickOn("#sortChoice").clickOn("Predicted class");
        selectFirstVisibleMistake();
        take(headline);

        train(window, "self-training", "train.epochs=10");
        train(window, "llu", "train.epochs=20");
        take(views.resolve("training.png"));

        RunRecord llu = fx(() -> window.context().runs().stream().filter(run -> run.method().equals("llu"))
                .reduce((first, second) -> second).orElseThrow());
        clickOn("#tab-gallery");
        interact(() -> window.context().selectedRunProperty().set(llu));
        awaitBackground(window);
        // A wider window whose extra width goes to the inspector (so that the gallery keeps its columns), with the
        // sections an LLU run leaves empty or long folded, so that α(x) is in view.
        SplitPane split = (SplitPane) ((BorderPane) window.root()).getCenter();
        Stage stage = (Stage) window.window();
        double width = fx(stage::getWidth);
        double[] dividers = fx(split::getDividerPositions);
        double wider = width + INSPECTOR_EXTRA_WIDTH;
        interact(() -> stage.setWidth(wider));
        await(() -> fx(() -> split.getWidth() > width + INSPECTOR_EXTRA_WIDTH / 2));
        interact(() -> split.setDividerPositions(dividers[0] * width / wider, dividers[1] * width / wider));
        clickOn("#onlyMistakes");
        selectFirstVisibleMistake();
        interact(() -> lookup("#imageTabs").queryAs(TabPane.class).getSelectionModel().select(1));
        await(() -> lookup("#inspector-alpha").tryQuery().map(Node::isVisible).orElse(false)
                && lookup("#inspector-neighbour-thumbnails .image-view").queryAll().stream()
                        .allMatch(view -> ((ImageView) view).getImage() != null));
        interact(() -> {
            for (String section : List.of("#inspector-prompts", "#inspector-history", "#inspector-latte")) {
                lookup(section).queryAs(TitledPane.class).setExpanded(false);
            }
        });
        take(views.resolve("inspector.png"));
        interact(() -> stage.setWidth(width));
        await(() -> fx(() -> split.getWidth() <= width));
        interact(() -> split.setDividerPositions(dividers));
        clickOn("#onlyMistakes");

        clickOn("#tab-dataset");
        clickOn("#dataset-tab-confidence");
        awaitBackground(window);
        take(views.resolve("dataset-confidence.png"));
        clickOn("#dataset-tab-map");
        await(() -> fx(() -> lookup("#embedding-map").query().isVisible()));
        awaitBackground(window);
        take(views.resolve("dataset-map.png"));

        clickOn("#tab-runs");
        TableView<?> table = lookup("#runsTable").queryTableView();
        interact(() -> table.getSelectionModel().select(table.getItems().size() - 1));
        clickOn("#compareWithZeroShot");
        await(() -> !fx(() -> lookup("#comparisonSummary").queryLabeled().getText()).isEmpty());
        take(views.resolve("runs.png"));
    }

    /** Runs {@code method} from the Training tab with {@code settings} (key=value) on the CPU and waits for its end. */
    private void train(WorkbenchWindow window, String method, String... settings) throws Exception {
        clickOn("#tab-training");
        ComboBox<MethodInfo> methods = lookup("#method").queryComboBox();
        interact(() -> {
            methods.setValue(methods.getItems().stream().filter(info -> info.id().equals(method)).findFirst()
                    .orElseThrow());
            PropertySheet sheet = lookup("#settingsSheet").queryAs(PropertySheet.class);
            for (String setting : settings) {
                String[] keyValue = setting.split("=", 2);
                sheet.getItems().stream().filter(item -> item.getName().equals(keyValue[0])).findFirst()
                        .orElseThrow().setValue(keyValue[1]);
            }
        });
        int before = fx(() -> window.context().runs().size());
        clickOn("#start");
        await(() -> fx(() -> window.context().runs().size() > before && window.context().runs()
                .get(window.context().runs().size() - 1).status() == RunRecord.Status.DONE));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Clicks the first wholly visible mistake in the gallery (else the first image) and waits for the thumbnails. */
    private void selectFirstVisibleMistake() throws Exception {
        Bounds grid = sceneBounds(lookup("#gallery").query());
        List<GridCell<GalleryItem>> cells = lookup(".gallery-cell").<GridCell<GalleryItem>>queryAll().stream()
                .filter(cell -> cell.getItem() != null && grid.contains(sceneBounds(cell))).toList();
        Optional<GridCell<GalleryItem>> mistake = cells.stream().filter(cell -> cell.getItem().isMistake()).findFirst();
        clickOn(mistake.orElse(cells.get(0)));
        await(() -> cells.stream().allMatch(cell -> ((ImageView) cell.lookup(".image-view")).getImage() != null));
    }

    private void awaitBackground(WorkbenchWindow window) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        await(() -> fx(() -> window.context().backgroundMessageProperty().get().isEmpty()));
    }

    private static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getBoundsInLocal());
    }

    /** Writes the whole window to {@code target} as an RGB PNG, once the FX thread has drawn what is pending. */
    private void take(Path target) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(500); // charts and canvases repaint on the next pulse
        WritableImage snapshot = fx(() -> lookup("#statusBar").query().getScene().snapshot(null));
        BufferedImage image = SwingFXUtils.fromFXImage(snapshot, null);
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        Files.createDirectories(target.getParent());
        AtomicFiles.write(target, out -> ImageIO.write(rgb, "png", out));
        System.out.println("Screenshot: " + target + " (" + Files.size(target) / 1024 + " KB)");
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, condition);
    }

    private static <T> T fx(Callable<T> callable) throws Exception {
        return WaitForAsyncUtils.asyncFx(callable).get(30, TimeUnit.SECONDS);
    }
}
