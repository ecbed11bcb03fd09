package org.clipwb.core.adapt.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Accuracy;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.flyp.ClipFineTuning;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.images.Augmentation;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.images.Seeds;
import org.clipwb.core.adapt.images.TrainingImages;
import org.clipwb.core.adapt.label.ClassPrior;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.util.FloatRows;

/**
 * The results table's oracle fine-tuning rows, upper bounds and never methods: the whole image tower fine-tuned with
 * cross-entropy on the target's TRUE labels (its class subfolders), through the frozen zero-shot classifier of the
 * text tower, with AdamW; then the held-out test set is classified with the fine-tuned tower and the same classifier.
 * It reads evaluation labels by design, which is why it is not registered as a method. {@link Training} says which
 * target images it trains on: every one, or only those a perfect noise filter would keep.
 */
public final class OracleFineTune {
    /** The row's name in the results table. */
    public static final String NAME = "oracle full fine-tuning";

    private OracleFineTune() {
    }

    /** Which target images the oracle trains on. Both train on true labels; they differ in which images have one. */
    public enum Training {
        /** Every target image with its true label: the bound of any method that fine-tunes the image tower. */
        EVERY_IMAGE,
        /**
         * Only the images whose class-balanced zero-shot pseudo-label (the EM prior update toward uniform classes,
         * {@link ClassPrior}, over every image: CoFT's Phase 0 defaults) is right, with that label. It is what a
         * perfect noise filter over those pseudo-labels would keep, so it bounds any method that selects among them
         * (CoFT's collaborative filter, small-loss or confidence selection) and then fine-tunes the tower as the
         * oracle does.
         */
        RIGHT_PSEUDO_LABELS;

        /** The label to train each target image on, -1 for an image the oracle leaves out. */
        int[] labels(AdaptationData data) {
            int[] truth = data.target().labels();
            if (this == EVERY_IMAGE) {
                return truth.clone();
            }
            float[][] balanced = ClassPrior.uniform(new CosineHead(data.classWeights(), data.logitScale())
                    .probabilities(data.target().embeddings()));
            int[] pseudo = AdaptationRunner.predictions(balanced);
            return IntStream.range(0, truth.length)
                    .map(i -> truth[i] >= 0 && pseudo[i] == truth[i] ? truth[i] : -1).toArray();
        }
    }

    /**
     * How the oracle trains.
     *
     * @param epochs passes over the target images
     * @param batchSize images per step (the full fine-tuning: 32)
     * @param learningRate AdamW's peak rate, per-step cosine to 0 after a linear warm-up over 2% of the steps
     * @param weightDecay AdamW's decay of matrices
     * @param cropMin the smallest area of a training crop (random resized crops of [cropMin, 1], no flip)
     * @param training which target images it trains on
     */
    public record Options(int epochs, int batchSize, double learningRate, double weightDecay, double cropMin,
            Training training) {
        /**
         * 4 epochs at batch 32 (the full fine-tuning: 4–10 epochs, batch 32), lr 1e-4 (the demo model was
         * pretrained at 1e-3; 2 epochs at 1e-4 fit fills-shifted to 73.5% held-out, docs/methods/flyp.md), decay 0.1,
         * crops of 90–100%; every target image.
         */
        public static final Options DEFAULTS = new Options(4, 32, 1e-4, 0.1, 0.9, Training.EVERY_IMAGE);

        public Options {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0 || !(cropMin > 0 && cropMin <= 1)
                    || training == null) {
                throw new IllegalArgumentException("oracle options out of range: " + this);
            }
        }

        /** The same options training on other images. */
        public Options with(Training other) {
            return new Options(epochs, batchSize, learningRate, weightDecay, cropMin, other);
        }
    }

    /**
     * What the oracle reached: balanced accuracy on the target it trained on (transductive) and on the held-out test
     * set, and the wall time of training and evaluation.
     */
    public record Result(double targetBalancedAccuracy, double testBalancedAccuracy, double seconds) {
    }

    /**
     * Trains on {@code data}'s target with its true labels and classifies its test set.
     *
     * @param data prepared data with its image files ({@link AdaptationData#withImages}), a test set, and evaluation
     *     labels on both (class subfolders)
     * @param log receives a line per epoch
     * @throws IllegalArgumentException naming what is missing: the image files, the test set, true labels, or (for
     *     {@link Training#RIGHT_PSEUDO_LABELS}) a single right pseudo-label
     */
    public static Result run(AdaptationData data, Options options, long seed, Consumer<String> log)
            throws IOException {
        ImageSource source = data.images().orElseThrow(() -> new IllegalArgumentException("the oracle fine-tunes "
                + "the image encoder and needs the image files (AdaptationData.withImages)"));
        LabeledSet test = data.test().orElseThrow(() -> new IllegalArgumentException("the oracle is measured on a "
                + "held-out test set, and the data has none"));
        int[] truth = data.target().labels();
        if (Arrays.stream(truth).noneMatch(label -> label >= 0)
                || Arrays.stream(test.labels()).noneMatch(label -> label >= 0)) {
            throw new IllegalArgumentException("the oracle trains and is measured on true labels: the target and the "
                    + "test folder need class subfolders named after the classes");
        }
        int[] labels = options.training().labels(data);
        int[] labelled = IntStream.range(0, labels.length).filter(i -> labels[i] >= 0).toArray();
        if (labelled.length == 0) {
            throw new IllegalArgumentException("no class-balanced zero-shot pseudo-label of the target is right: a "
                    + "perfect filter would keep no image to train on");
        }
        long started = System.nanoTime();
        List<Path> targetFiles = data.target().keys().stream().map(source::targetFile).toList();
        List<Path> testFiles = test.keys().stream().map(source::testFile).toList();
        try (TrainingImages images = new TrainingImages(source.clip(), targetFiles, Optional.of(testFiles),
                DecodedImages.DEFAULT_BUDGET_BYTES, options.batchSize())) {
            ClipFineTuning tuning = new ClipFineTuning(images, name -> name.startsWith("visual."),
                    options.weightDecay(), 0);
            int classes = data.classCount();
            NDArray classWeights = images.manager().create(FloatRows.join(data.classWeights()),
                    new Shape(classes, data.dimension()));
            float scale = data.logitScale();
            int stepsPerEpoch = Minibatches.count(labelled.length, options.batchSize(), false);
            long totalSteps = (long) options.epochs() * stepsPerEpoch;
            CosineSchedule schedule = new CosineSchedule(options.learningRate(), totalSteps,
                    Math.round(0.02 * totalSteps), 0, true);
            Augmentation crops = Augmentation.crops(source.clip().preprocessor(), options.cropMin(), 1, false);
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                List<int[]> batches = Minibatches.of(labelled.length, options.batchSize(), Seeds.of(seed, "oracle"),
                        epoch, false).stream().map(b -> Arrays.stream(b).map(i -> labelled[i]).toArray()).toList();
                double lossSum = 0;
                int skipped = 0;
                try (BatchStream stream = images.stream(batches, List.of(crops), Seeds.of(seed, "oracle", epoch))) {
                    for (int b = 0; b < batches.size(); b++) {
                        int[] batch = batches.get(b);
                        float[] pixels = TrainingImages.next(stream)[0];
                        long[] batchLabels = Arrays.stream(batch).mapToLong(i -> labels[i]).toArray();
                        ClipFineTuning.Step step = tuning.step(() -> tuning.classifierLoss(pixels, batchLabels,
                                classWeights, scale), schedule.rate((long) epoch * stepsPerEpoch + b));
                        lossSum += step.loss();
                        skipped += step.taken() ? 0 : 1;
                    }
                }
                log.accept(String.format(java.util.Locale.ROOT, "%s epoch %d of %d: cross-entropy %.4f%s", NAME,
                        epoch + 1, options.epochs(), lossSum / batches.size(),
                        skipped == 0 ? "" : "; " + skipped + " corrupted steps skipped"));
            }
            CosineHead head = new CosineHead(data.classWeights(), scale);
            double target = balanced(head, tuning.embed(images.training()), truth, classes);
            double held = balanced(head, tuning.embed(images.test().orElseThrow()), test.labels(), classes);
            return new Result(target, held, (System.nanoTime() - started) / 1e9);
        }
    }

    private static double balanced(CosineHead head, float[][] embeddings, int[] labels, int classes) {
        return Accuracy.balanced(AdaptationRunner.predictions(head.probabilities(embeddings)), labels, classes)
                .orElse(Double.NaN);
    }
}
