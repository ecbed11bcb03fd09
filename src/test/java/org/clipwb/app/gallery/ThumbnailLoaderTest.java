package org.clipwb.app.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.image.Image;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.image.PillowResampler;
import org.clipwb.core.image.RgbImage;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

class ThumbnailLoaderTest {
    private static final Path IMAGES = TestData.tinyClip().resolve("images");

    private ThumbnailLoader loader = new ThumbnailLoader(2, 1_000_000);

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage(); // JavaFX images need the toolkit
    }

    @AfterEach
    void close() {
        loader.close();
    }

    @Test
    void thumbnailsHaveTheShrunkPixelsAndArriveOnTheFxThread() throws Exception {
        Path file = IMAGES.resolve("wide_rgb.png"); // 96 x 40
        Image image = load(file, 48);
        RgbImage expected = PillowResampler.resizeToFit(ImageDecoder.decode(file), 48);
        assertEquals(48, image.getWidth());
        assertEquals(20, image.getHeight());
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                assertEquals(0xFF000000 | expected.rgbAt(x, y), image.getPixelReader().getArgb(x, y),
                        "pixel " + x + "," + y);
            }
        }
        assertSame(image, loader.cached(file, 48), "kept for the next cell that shows it");
        assertNull(loader.cached(file, 96), "other sizes are other entries");
    }

    @Test
    void smallImagesAreNotEnlarged() throws Exception {
        Image image = load(IMAGES.resolve("tiny.png"), 160); // 9 x 13
        assertEquals(9, image.getWidth());
        assertEquals(13, image.getHeight());
    }

    @Test
    void leastRecentlyUsedImagesLeaveWhenThePixelBudgetIsFull() throws Exception {
        loader.close();
        loader = new ThumbnailLoader(1, 2 * 64 * 64);
        Path square = IMAGES.resolve("square_rgba.png");   // 64 x 64
        Path palette = IMAGES.resolve("palette.png");      // 33 x 33
        Path big = IMAGES.resolve("big_rgb.png");          // 640 x 480, shrunk to 64 x 48
        load(square, 64);
        load(palette, 64);
        assertNotNull(loader.cached(square, 64)); // now the most recently used
        load(big, 64);
        assertNull(loader.cached(palette, 64), "the least recently used went");
        assertNotNull(loader.cached(square, 64));
        assertNotNull(loader.cached(big, 64));
    }

    @Test
    void unreadableFilesReportWhy(@TempDir Path dir) throws Exception {
        Path notAnImage = Files.writeString(dir.resolve("notes.png"), "just text");
        CompletableFuture<String> reason = new CompletableFuture<>();
        loader.load(notAnImage, 64, image -> reason.complete("loaded?"), reason::complete);
        assertEquals("not an image (unknown format)", reason.get(10, TimeUnit.SECONDS));
    }

    private Image load(Path file, int maxSide) throws Exception {
        CompletableFuture<Image> loaded = new CompletableFuture<>();
        loader.load(file, maxSide, image -> {
            if (Platform.isFxApplicationThread()) {
                loaded.complete(image);
            } else {
                loaded.completeExceptionally(new AssertionError("delivered off the FX thread"));
            }
        }, reason -> loaded.completeExceptionally(new IOException(reason)));
        return loaded.get(10, TimeUnit.SECONDS);
    }
}
