package org.clipwb.app.gallery;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.clipwb.core.image.ImageDecodeException;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.image.PillowResampler;
import org.clipwb.core.image.RgbImage;

/**
 * Decodes and shrinks images off the FX thread for the gallery and the details preview: a few daemon threads, and an
 * LRU cache bounded by pixel count so that scrolling back shows thumbnails at once. Callbacks run on the FX thread;
 * a cell that shows another image cancels its pending request, so fast scrolling only decodes what stays visible.
 */
public final class ThumbnailLoader implements AutoCloseable {
    /** Receives a failed load's reason on the FX thread. */
    @FunctionalInterface
    public interface FailureHandler {
        void failed(String reason);
    }

    private record Key(Path path, int maxSide) {
    }

    private final ExecutorService decoders;
    private final long maxCachedPixels;
    // A LinkedHashMap in access order is the whole LRU policy; the pixel budget needs the running total below.
    private final LinkedHashMap<Key, Image> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedPixels;

    /**
     * @param threads         decode threads; keep it small, they compete with the model for the CPU
     * @param maxCachedPixels the cache's budget in pixels (4 bytes each in memory)
     */
    public ThumbnailLoader(int threads, long maxCachedPixels) {
        this.decoders = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "clipwb-thumbnails");
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            return thread;
        });
        this.maxCachedPixels = maxCachedPixels;
    }

    /** The cached image of {@code path} at {@code maxSide}, or null when it has not been loaded (or was evicted). */
    public synchronized Image cached(Path path, int maxSide) {
        return cache.get(new Key(path, maxSide));
    }

    /**
     * Loads {@code path} shrunk to fit {@code maxSide} (never enlarged) in the background and hands it to
     * {@code onLoaded} on the FX thread. Cancelling the returned future (without interrupting) drops a load that has
     * not started; one that has started still fills the cache, so the caller must check that it still wants it. After
     * {@link #close} nothing is loaded (a tile drawn while the window closes gets a cancelled future).
     */
    public Future<?> load(Path path, int maxSide, Consumer<Image> onLoaded, FailureHandler onFailed) {
        Key key = new Key(path, maxSide);
        try {
            return decoders.submit(() -> decode(key, onLoaded, onFailed));
        } catch (RejectedExecutionException closed) {
            CompletableFuture<?> none = new CompletableFuture<>();
            none.cancel(false);
            return none;
        }
    }

    private void decode(Key key, Consumer<Image> onLoaded, FailureHandler onFailed) {
        Image image = cached(key.path(), key.maxSide());
        if (image == null) {
            try {
                image = toFxImage(PillowResampler.resizeToFit(ImageDecoder.decode(key.path()), key.maxSide()));
            } catch (ImageDecodeException e) {
                Platform.runLater(() -> onFailed.failed(e.reason()));
                return;
            } catch (RuntimeException | OutOfMemoryError e) {
                Platform.runLater(() -> onFailed.failed("cannot be shown: " + e));
                return;
            }
            put(key, image);
        }
        Image loaded = image;
        Platform.runLater(() -> onLoaded.accept(loaded));
    }

    /** Stops the decode threads; pending loads are dropped. */
    @Override
    public void close() {
        decoders.shutdownNow();
        synchronized (this) {
            cache.clear();
            cachedPixels = 0;
        }
    }

    /** Copies 8-bit RGB pixels into a JavaFX image (a WritableImage may be filled on any thread). */
    static WritableImage toFxImage(RgbImage rgb) {
        WritableImage image = new WritableImage(rgb.width(), rgb.height());
        image.getPixelWriter().setPixels(0, 0, rgb.width(), rgb.height(), PixelFormat.getByteRgbInstance(),
                rgb.rgb(), 0, rgb.width() * 3);
        return image;
    }

    private synchronized void put(Key key, Image image) {
        Image previous = cache.put(key, image);
        if (previous != null) {
            cachedPixels -= pixels(previous);
        }
        cachedPixels += pixels(image);
        Iterator<Map.Entry<Key, Image>> eldest = cache.entrySet().iterator();
        while (cachedPixels > maxCachedPixels && eldest.hasNext()) {
            Map.Entry<Key, Image> entry = eldest.next();
            if (entry.getKey().equals(key)) {
                continue;
            }
            cachedPixels -= pixels(entry.getValue());
            eldest.remove();
        }
    }

    private static long pixels(Image image) {
        return (long) image.getWidth() * (long) image.getHeight();
    }
}
