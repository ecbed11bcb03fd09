package org.clipwb.core.adapt.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.clipwb.core.image.ImageDecodeException;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.image.RgbImage;

/**
 * Training images decoded once and kept in memory while they fit a budget: each image is decoded on first use and
 * kept if the bytes kept so far leave room for it; an image beyond the budget is decoded again from its file
 * whenever it is used (on the batch thread, overlapping the model). The sample projects' 128-px images take 48 KiB
 * each, so thousands fit; a folder of 12-megapixel photos (36 MiB each decoded) keeps the first few dozen and
 * re-decodes the rest every epoch. Images are kept at full resolution so that the evaluation transform stays the
 * model's own preprocessing, exactly. Thread-safe.
 */
public final class DecodedImages {
    /** The default budget: a quarter of the heap the JVM may use. */
    public static final long DEFAULT_BUDGET_BYTES = Runtime.getRuntime().maxMemory() / 4;

    private final List<Path> files;
    private final long budgetBytes;
    private final AtomicReferenceArray<RgbImage> kept;
    private final AtomicLong keptBytes = new AtomicLong();

    /** The images of {@code files}, keeping at most {@code budgetBytes} of decoded pixels. */
    public DecodedImages(List<Path> files, long budgetBytes) {
        this.files = List.copyOf(files);
        this.budgetBytes = budgetBytes;
        this.kept = new AtomicReferenceArray<>(this.files.size());
    }

    /** Number of images. */
    public int size() {
        return files.size();
    }

    /** The file of image {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    /**
     * Image {@code index}, decoded now unless it is kept.
     *
     * @throws IOException naming the file when it can no longer be decoded (it was when the folder was embedded)
     */
    public RgbImage get(int index) throws IOException {
        RgbImage image = kept.get(index);
        if (image != null) {
            return image;
        }
        try {
            image = ImageDecoder.decode(files.get(index));
        } catch (ImageDecodeException e) {
            throw new IOException("training image " + e.path() + " " + e.reason()
                    + " (it was readable when the folder was embedded: was it changed since?)", e);
        }
        long bytes = image.rgb().length;
        if (keptBytes.addAndGet(bytes) <= budgetBytes) {
            if (!kept.compareAndSet(index, null, image)) {
                keptBytes.addAndGet(-bytes);
            }
        } else {
            keptBytes.addAndGet(-bytes);
        }
        return image;
    }

    /** Bytes of decoded pixels kept in memory. */
    public long keptBytes() {
        return keptBytes.get();
    }
}
