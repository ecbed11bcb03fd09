package org.clipwb.core.adapt.images;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pixels of a sequence of batches, prepared on a background thread a batch or two ahead of the caller, so that
 * decoding and augmenting overlap the model's work on a GPU; on the CPU they are prepared when asked for, so that the
 * preparation and PyTorch's threads take turns on the cores instead of a Java thread stalling every multi-threaded
 * operation (the embedder measured this, see ImageEmbedder). Each image of each view draws from its own stream,
 * {@code Seeds.of(seed, image, view)}: what a batch holds depends only on the seed, never on timing, so a run that is
 * resumed sees the pixels an uninterrupted run saw. Close it to stop the thread.
 */
public final class BatchStream implements AutoCloseable {
    /** Batches prepared ahead of the one the caller works on. */
    private static final int LOOK_AHEAD = 2;

    private final DecodedImages images;
    private final List<int[]> batches;
    private final List<? extends ImageTransform> views;
    private final long seed;
    private final int tensorLength;
    private final ExecutorService worker;
    private final Deque<Future<float[][]>> pending = new ArrayDeque<>();
    private int submitted;

    /**
     * @param batches indices into {@code images}, one array per batch, in the order they will be taken
     * @param views the transforms of each image: one for plain training, two for contrastive learning
     * @param seed the stream of this pass (e.g. {@code Seeds.of(runSeed, "phase1", model, epoch)})
     * @param tensorLength floats of one transformed image
     * @param background whether a thread prepares batches ahead (for a GPU) or {@link #next} prepares each (CPU)
     */
    public BatchStream(DecodedImages images, List<int[]> batches, List<? extends ImageTransform> views, long seed,
            int tensorLength, boolean background) {
        this.images = images;
        this.batches = List.copyOf(batches);
        this.views = List.copyOf(views);
        this.seed = seed;
        this.tensorLength = tensorLength;
        this.worker = background ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "clipwb-batches");
            thread.setDaemon(true);
            return thread;
        }) : null;
        while (worker != null && submitted < this.batches.size() && submitted < LOOK_AHEAD) {
            submitNext();
        }
    }

    /**
     * The next batch: per view, the images back to back as CHW floats (batch size x tensor length).
     *
     * @throws IOException when an image of the batch could not be decoded
     */
    public float[][] next() throws IOException, InterruptedException {
        if (worker == null) {
            if (submitted == batches.size()) {
                throw new IllegalStateException("all " + batches.size() + " batches were taken");
            }
            return prepare(batches.get(submitted++));
        }
        Future<float[][]> next = pending.poll();
        if (next == null) {
            throw new IllegalStateException("all " + batches.size() + " batches were taken");
        }
        if (submitted < batches.size()) {
            submitNext();
        }
        try {
            return next.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("preparing a batch failed", e.getCause());
        }
    }

    private void submitNext() {
        int[] batch = batches.get(submitted++);
        pending.add(worker.submit(() -> prepare(batch)));
    }

    private float[][] prepare(int[] batch) throws IOException {
        float[][] out = new float[views.size()][batch.length * tensorLength];
        for (int b = 0; b < batch.length; b++) {
            var image = images.get(batch[b]);
            for (int v = 0; v < views.size(); v++) {
                views.get(v).write(image, new SplittableRandom(Seeds.of(seed, batch[b], v)), out[v], b * tensorLength);
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
