package org.clipwb.core.adapt.images;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.FloatRows;

/**
 * The images a fine-tuning of the whole encoder works with (FLYP, the oracle's full fine-tuning): the training
 * images and the optional test images, decoded once, and a manager on the model's device that owns every array of
 * the training. It turns batches of prepared pixels into arrays, and embeds a set of images in order with the
 * model's own preprocessing through whatever encoder the caller has trained.
 */
public final class TrainingImages implements AutoCloseable {
    private final Clip clip;
    private final NDManager manager;
    private final DecodedImages training;
    private final Optional<DecodedImages> test;
    private final ImageTransform evaluation;
    private final int evaluationBatch;

    /**
     * @param budgetBytes decoded training pixels kept in memory ({@link DecodedImages}); test images are read once
     * @param evaluationBatch images per batch when embedding
     */
    public TrainingImages(Clip clip, List<Path> training, Optional<List<Path>> test, long budgetBytes,
            int evaluationBatch) {
        this.clip = clip;
        this.manager = NDManager.newBaseManager(clip.device());
        this.training = new DecodedImages(training, budgetBytes);
        this.test = test.map(files -> new DecodedImages(files, 0));
        this.evaluation = ImageTransform.evaluation(clip.preprocessor());
        this.evaluationBatch = evaluationBatch;
    }

    public Clip clip() {
        return clip;
    }

    /** The manager of the training's arrays, on the model's device. */
    public NDManager manager() {
        return manager;
    }

    public DecodedImages training() {
        return training;
    }

    public Optional<DecodedImages> test() {
        return test;
    }

    /** Pixels [count, 3, H, W] on the model's device. */
    public NDArray pixels(float[] values, int count) {
        var config = clip.preprocessor().config();
        return manager.create(values, new Shape(count, 3, config.cropHeight(), config.cropWidth()));
    }

    /** A stream of the training images' batches, each image transformed by every one of {@code views}. */
    public BatchStream stream(List<int[]> batches, List<? extends ImageTransform> views, long seed) {
        return new BatchStream(training, batches, views, seed, clip.preprocessor().tensorLength(),
                clip.device().isGpu());
    }

    /** The next batch of a stream; an interrupted thread cancels the run. */
    public static float[][] next(BatchStream stream) throws IOException {
        try {
            return stream.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while preparing images");
        }
    }

    /**
     * The rows {@code encoder} gives every image of {@code images}, in order, under the model's own preprocessing
     * (call it without gradients: the arrays of each batch are closed after it).
     *
     * @param encoder pixels [B, 3, H, W] to features [B, D]
     */
    public float[][] embed(DecodedImages images, UnaryOperator<NDArray> encoder) throws IOException {
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < images.size(); start += evaluationBatch) {
            batches.add(IntStream.range(start, Math.min(images.size(), start + evaluationBatch)).toArray());
        }
        List<float[]> rows = new ArrayList<>(images.size());
        try (BatchStream stream = new BatchStream(images, batches, List.of(evaluation), 0,
                clip.preprocessor().tensorLength(), clip.device().isGpu())) {
            for (int[] batch : batches) {
                float[] values = next(stream)[0];
                try (NDScope scope = new NDScope()) {
                    rows.addAll(List.of(FloatRows.split(encoder.apply(pixels(values, batch.length)).toFloatArray(),
                            batch.length)));
                }
            }
        }
        return rows.toArray(float[][]::new);
    }

    @Override
    public void close() {
        manager.close();
    }
}
