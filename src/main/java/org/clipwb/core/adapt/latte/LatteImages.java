package org.clipwb.core.adapt.latte;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.images.Augmentation;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.ColorJitter;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.images.ImageTransform;
import org.clipwb.core.adapt.images.RandomResizedCrop;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.FloatRows;

/**
 * The images LatteCLIP trains and classifies with: the target images decoded once, the test images, the reference's
 * training augmentation (methods.md §3.5), and a manager on the model's device that owns the run's arrays.
 */
final class LatteImages implements AutoCloseable {
    /** §3.5: OpenCLIP's {@code ColorJitter(0.5, 0.5, 0.5, 0.1)}, applied with probability 0.8. */
    private static final ColorJitter JITTER = new ColorJitter(0.5, 0.5, 0.5, 0.1);
    /** Images per forward pass when embedding without gradients. */
    private static final int EVALUATION_BATCH = 64;

    private final Clip clip;
    private final NDManager manager;
    private final DecodedImages targets;
    private final Optional<DecodedImages> test;
    private final Augmentation augmentation;

    LatteImages(AdaptationData data, ImageSource source, long memoryBudgetBytes) {
        this.clip = source.clip();
        this.manager = NDManager.newBaseManager(clip.device());
        this.targets = new DecodedImages(data.target().keys().stream().map(source::targetFile).toList(),
                memoryBudgetBytes);
        if (data.test().isPresent() && source.testRoot().isEmpty()) {
            throw new IllegalArgumentException("the data has a test set but the image source no test folder: "
                    + "LatteCLIP classifies test images with its fine-tuned encoder and needs their files");
        }
        this.test = data.test().map(set -> new DecodedImages(set.keys().stream().map(source::testFile).toList(), 0));
        ClipPreprocessor preprocessor = clip.preprocessor();
        // §3.5: RandomResizedCrop(scale 0.9–1), jitter with p 0.8, greyscale with p 0.2; no blur, no flip.
        this.augmentation = new Augmentation(preprocessor, RandomResizedCrop.ofScale(0.9, 1), 0.8, JITTER, 0.2, 0, 0,
                0, false);
    }

    Clip clip() {
        return clip;
    }

    NDManager manager() {
        return manager;
    }

    DecodedImages targets() {
        return targets;
    }

    Optional<DecodedImages> test() {
        return test;
    }

    /** Trainable copies of every weight of the image tower, leaving the loaded model as it is. */
    TrainableWeights visualWeights() {
        return new TrainableWeights(manager, clip.model()).replace(name -> name.startsWith("visual."), true);
    }

    /** Normalised features [B, D] of pixels [B, 3, S, S] under {@code weights}; with gradients when training. */
    NDArray features(TrainableWeights weights, NDArray pixels, boolean training) {
        return LatteMath.normalizedRows(clip.model().encodeImage(weights, pixels, training));
    }

    /** The augmented pixels of {@code batches} (indices into {@link #targets}), one stream per epoch. */
    BatchStream augmented(List<int[]> batches, long seed) {
        return new BatchStream(targets, batches, List.of(augmentation), seed, clip.preprocessor().tensorLength(),
                clip.device().isGpu());
    }

    /** Pixels [count, 3, H, W] on the model's device. */
    NDArray pixels(float[] values, int count) {
        var config = clip.preprocessor().config();
        return manager.create(values, new Shape(count, 3, config.cropHeight(), config.cropWidth()));
    }

    /** The next batch of a stream; an interrupted thread cancels the run. */
    static float[] next(BatchStream stream) throws IOException {
        try {
            return stream.next()[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while preparing images");
        }
    }

    /** Normalised embeddings of every image of {@code images} under {@code weights}, the model's preprocessing. */
    float[][] embed(DecodedImages images, TrainableWeights weights) throws IOException {
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < images.size(); start += EVALUATION_BATCH) {
            batches.add(IntStream.range(start, Math.min(images.size(), start + EVALUATION_BATCH)).toArray());
        }
        List<float[]> rows = new ArrayList<>(images.size());
        try (BatchStream stream = new BatchStream(images, batches, List.of(ImageTransform.evaluation(
                clip.preprocessor())), 0, clip.preprocessor().tensorLength(), clip.device().isGpu())) {
            for (int[] batch : batches) {
                float[] values = next(stream);
                try (NDScope scope = new NDScope()) {
                    rows.addAll(List.of(FloatRows.split(features(weights, pixels(values, batch.length), false)
                            .toFloatArray(), batch.length)));
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
