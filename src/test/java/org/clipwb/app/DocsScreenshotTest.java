package org.clipwb.app;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.core.store.HubClient;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.testing.InMemoryPreferences;
import org.controlsfx.control.GridCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Takes the README's screenshot: the bundled demo model on the shapes-shifted sample project, sorted by predicted
 * class, the first wholly visible mistake selected (or the first image when none is). Runs only when asked, ideally in a real X server:
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" mvn -B -ntp -o test -Pxvfb -Dtest=DocsScreenshotTest
 * -Dclipwb.screenshot=docs/screenshot.png}.
 */
@EnabledIfSystemProperty(named = "clipwb.screenshot", matches = ".+")
class DocsScreenshotTest extends FxRobot {
    private static final Path PROJECT = Path.of("sample-projects", "shapes-shifted");

    @TempDir
    Path dir;

    private Application app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            FxToolkit.cleanupApplication(app);
        }
    }

    private static String classes() {
        try {
            return Files.readString(PROJECT.resolve("classes.txt"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getBoundsInLocal());
    }

    @Test
    void screenshot() throws Exception {
        FxToolkit.registerPrimaryStage();
        WorkbenchConfig config = new WorkbenchConfig(new ModelStore(dir.resolve("models"),
                HubClient.builder().build(), true), dir.resolve("embeddings.sqlite"),
                new InMemoryPreferences().node("workbench"));
        app = FxToolkit.setupApplication(() -> new WorkbenchApp(config));
        interact(() -> {
            lookup("#imageFolderField").queryAs(TextField.class).setText(PROJECT.resolve("images").toString());
            lookup("#modelChoice").<String>queryComboBox().setValue(ModelStore.DEFAULT_MODEL);
            lookup("#classListEditor").queryTextInputControl().setText(classes());
        });
        clickOn("#runButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> lookup("#cancelButton").queryButton().isDisabled());
        clickOn("#sortChoice").clickOn("Predicted class");
        Bounds grid = sceneBounds(lookup("#gallery").query());
        List<GridCell<GalleryItem>> cells = lookup(".gallery-cell").<GridCell<GalleryItem>>queryAll().stream()
                .filter(cell -> cell.getItem() != null && grid.contains(sceneBounds(cell))).toList();
        clickOn(cells.stream().filter(cell -> cell.getItem().isMistake()).findFirst().orElse(cells.get(0)));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> cells.stream()
                .allMatch(cell -> ((ImageView) cell.lookup(".image-view")).getImage() != null)
                && ((ImageView) lookup("#detailsPane .image-view").query()).getImage() != null);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage snapshot = WaitForAsyncUtils.asyncFx(() -> lookup("#statusBar").query().getScene().snapshot(null))
                .get(10, TimeUnit.SECONDS);
        BufferedImage image = SwingFXUtils.fromFXImage(snapshot, null);
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        Path target = Path.of(System.getProperty("clipwb.screenshot")).toAbsolutePath();
        AtomicFiles.write(target, out -> ImageIO.write(rgb, "png", out));
        System.out.println("Screenshot: " + target + " (" + Files.size(target) / 1024 + " KB)");
    }
}
