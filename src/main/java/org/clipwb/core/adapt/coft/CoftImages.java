package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.images.Augmentation;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.images.ImageTransform;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.util.FloatRows;

/**
 * What every phase of a CoFT run works with: the model and its frozen weights, the training images (the target
 * images, then the labeled shots) and the test images decoded once, the augmentations, the class prompts, and a
 * manager on the model's device that owns every array of the run.
 */
final class CoftImages implements AutoCloseable {
    private final Clip clip;
    private final NDManager manager;
    private final TrainableWeights frozen;
    private final DecodedImages training;
    private final Optional<DecodedImages> test;
    private final int targets;
    private final int[] shotLabels;
    private final int[] shotOfTarget;
    private final ClassPrompts classPrompts;
    private final Augmentation augmentation;
    private final Augmentation contrastive;
    private final ImageTransform evaluation;
    private final int evaluationBatch;
    private final int classCount;
    private final float[][] frozenFeatures;

    CoftImages(AdaptationData data, ImageSource source, Settings settings) {
        this.clip = source.clip();
        this.manager = NDManager.newBaseManager(clip.device());
        this.frozen = new TrainableWeights(manager, clip.model());
        long budget = settings.integer(CoftSettings.MEMORY_MB) == 0 ? DecodedImages.DEFAULT_BUDGET_BYTES
                : settings.integer(CoftSettings.MEMORY_MB) * (1L << 20);
        List<Path> files = new ArrayList<>();
        data.target().keys().forEach(key -> files.add(source.targetFile(key)));
        data.shots().keys().forEach(key -> files.add(source.targetFile(key)));
        this.training = new DecodedImages(files, budget);
        if (data.test().isPresent() && source.testRoot().isEmpty()) {
            throw new IllegalArgumentException("the data has a test set but the image source no test folder: CoFT "
                    + "classifies test images with its fine-tuned encoder and needs their files");
        }
        this.test = data.test()
                .map(set -> new DecodedImages(set.keys().stream().map(source::testFile).toList(), 0)); // read once
        this.targets = data.target().size();
        this.classCount = data.classCount();
        this.shotLabels = data.shots().labels().clone();
        this.shotOfTarget = shotsAmongTargets(files, targets);
        this.frozenFeatures = java.util.stream.Stream.concat(Arrays.stream(data.target().embeddings()),
                Arrays.stream(data.shots().embeddings())).toArray(float[][]::new);
        int contextTokens = settings.choice(CoftSettings.CONTEXT_INIT).equals("a-photo-of-a")
                ? ClassPrompts.photoPhraseLength(clip.tokenizer()) : settings.integer(CoftSettings.CONTEXT_TOKENS);
        this.classPrompts = ClassPrompts.build(clip.model(), clip.tokenizer(), data.classes().names(), contextTokens,
                manager);
        ClipPreprocessor preprocessor = clip.preprocessor();
        this.augmentation = Augmentation.crops(preprocessor, settings.decimal(CoftSettings.CROP_MIN),
                settings.decimal(CoftSettings.CROP_MAX), settings.flag(CoftSettings.FLIP));
        this.contrastive = Augmentation.mocoV2(preprocessor);
        this.evaluation = ImageTransform.evaluation(preprocessor);
        this.evaluationBatch = settings.integer(CoftSettings.batchSize("phase2"));
    }

    /** For each target image that is also a labeled shot, the shot's index; −1 for the others. */
    private static int[] shotsAmongTargets(List<Path> files, int targets) {
        Map<Path, Integer> targetIndex = new HashMap<>();
        for (int i = 0; i < targets; i++) {
            targetIndex.put(files.get(i).toAbsolutePath().normalize(), i);
        }
        int[] shotOf = new int[targets];
        java.util.Arrays.fill(shotOf, -1);
        for (int s = targets; s < files.size(); s++) {
            Integer target = targetIndex.get(files.get(s).toAbsolutePath().normalize());
            if (target != null) {
                shotOf[target] = s - targets;
            }
        }
        return shotOf;
    }

    ClipModel model() {
        return clip.model();
    }

    Clip clip() {
        return clip;
    }

    NDManager manager() {
        return manager;
    }

    /** The model's own weights, as a store. */
    TrainableWeights frozen() {
        return frozen;
    }

    /** Target images (indices 0 .. targets−1) then labeled shots. */
    DecodedImages training() {
        return training;
    }

    Optional<DecodedImages> test() {
        return test;
    }

    int classCount() {
        return classCount;
    }

    int targets() {
        return targets;
    }

    /** The label of labeled shot {@code s}; its image is {@code targets() + s}. */
    int shotLabel(int s) {
        return shotLabels[s];
    }

    int shots() {
        return shotLabels.length;
    }

    /** The shot that target image {@code i} is, or −1. */
    int shotOf(int target) {
        return shotOfTarget[target];
    }

    ClassPrompts classPrompts() {
        return classPrompts;
    }

    /** The crop-and-flip training view (CoOp, DeFT). */
    Augmentation augmentation() {
        return augmentation;
    }

    /** MoCo v2's view. */
    Augmentation contrastive() {
        return contrastive;
    }

    float scale() {
        return clip.logitScale();
    }

    int tensorLength() {
        return clip.preprocessor().tensorLength();
    }

    /** Pixels [count, 3, H, W] on the model's device. */
    NDArray pixels(float[] values, int count) {
        var config = clip.preprocessor().config();
        return manager.create(values, new Shape(count, 3, config.cropHeight(), config.cropWidth()));
    }

    /** A batch stream over {@code images}. */
    BatchStream stream(DecodedImages images, List<int[]> batches, List<? extends ImageTransform> views, long seed) {
        return new BatchStream(images, batches, views, seed, tensorLength(), clip.device().isGpu());
    }

    /** The next batch of a stream; an interrupted thread cancels the run. */
    static float[][] next(BatchStream stream) throws IOException {
        try {
            return stream.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while preparing images");
        }
    }

    /** Computes rows of a batch's pixels: features, scores. */
    @FunctionalInterface
    interface BatchFunction {
        /** One array [B, k] per output. */
        List<NDArray> apply(NDArray pixels);
    }

    /**
     * Runs {@code function} over the first {@code count} images of {@code images} with the model's own preprocessing,
     * in order, without gradients; returns each output's rows [count][k].
     */
    List<float[][]> evaluate(DecodedImages images, int count, BatchFunction function) throws IOException {
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < count; start += evaluationBatch) {
            batches.add(java.util.stream.IntStream.range(start, Math.min(count, start + evaluationBatch)).toArray());
        }
        List<List<float[]>> rows = new ArrayList<>();
        try (BatchStream stream = stream(images, batches, List.of(evaluation), 0)) {
            for (int[] batch : batches) {
                float[] pixels = next(stream)[0];
                try (NDScope scope = new NDScope()) {
                    List<NDArray> outputs = function.apply(pixels(pixels, batch.length));
                    for (int o = 0; o < outputs.size(); o++) {
                        if (rows.size() <= o) {
                            rows.add(new ArrayList<>());
                        }
                        for (float[] row : FloatRows.split(outputs.get(o).toFloatArray(), batch.length)) {
                            rows.get(o).add(row);
                        }
                    }
                }
            }
        }
        return rows.stream().map(list -> list.toArray(float[][]::new)).toList();
    }

    /**
     * The frozen image tower's features [targets + shots][D] of every training image under the model's own
     * preprocessing: the data's (normalised) embeddings. Models whose only visual module is the adapter on the output
     * feature train and score on these instead of running the tower again ({@code phase1.cache-features}); the
     * adapter has no biases and ReLU is positively homogeneous, so it gives the same direction for a normalised
     * feature as for the raw one.
     */
    float[][] frozenFeatures() {
        return frozenFeatures;
    }

    /** Rows {@code indices} of {@link #frozenFeatures} as an array [B, D]. */
    NDArray frozenFeatures(int[] indices) {
        float[][] all = frozenFeatures();
        float[][] rows = new float[indices.length][];
        for (int b = 0; b < indices.length; b++) {
            rows[b] = all[indices[b]];
        }
        return manager.create(FloatRows.join(rows), new Shape(rows.length, all[0].length));
    }

    @Override
    public void close() {
        manager.close();
    }
}
