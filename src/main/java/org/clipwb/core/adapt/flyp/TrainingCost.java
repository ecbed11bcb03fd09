package org.clipwb.core.adapt.flyp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.images.Augmentation;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.images.TrainingImages;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.FloatRows;
import org.clipwb.core.util.ProcessUsage;

/**
 * What a training step of whole-encoder fine-tuning costs on this machine (for {@code clipwb benchmark --training}
 * and the training-cost table of {@code clipwb results}): a few steps of the real step code, timed after one warm-up
 * step. The image tower alone trains with cross-entropy through a fixed text classifier (the oracle's full
 * fine-tuning); both towers train with FLYP's contrastive loss; embedding, for comparison, runs the image tower
 * without gradients. The images' decoding and augmentation are not counted. Besides wall time it reports the
 * process's CPU time per step, which says more than wall time on a machine that other work shares, and the peak
 * resident memory of the process over the timed steps.
 */
public final class TrainingCost {
    /** Classes of the benchmark's labels and captions. */
    private static final int CLASSES = 4;

    /** What trains. */
    public enum Mode {
        /** Nothing trains: the image tower's forward pass, as embedding a folder runs it. */
        EMBEDDING("embedding"),
        /** The image tower, cross-entropy through a fixed classifier, AdamW. */
        IMAGE_TOWER("image"),
        /** Both towers and the logit scale, FLYP's contrastive loss, AdamW. */
        BOTH_TOWERS("flyp");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** The mode named {@code word}. */
        public static Mode of(String word) {
            return Arrays.stream(values()).filter(mode -> mode.word.equals(word)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown training mode '" + word + "' (known: "
                            + String.join(", ", Arrays.stream(values()).map(Mode::word).toList()) + ")"));
        }
    }

    /**
     * Seconds of the warm-up step, mean wall and CPU seconds (all threads) of the timed steps, and the peak resident
     * memory of the process over them in bytes (0 where the system cannot say: {@link ProcessUsage}).
     */
    public record Result(Mode mode, int batchSize, int steps, double firstStepSeconds, double secondsPerStep,
            double cpuSecondsPerStep, long peakResidentBytes) {
        public double secondsPerImage() {
            return secondsPerStep / batchSize;
        }

        public double cpuSecondsPerImage() {
            return cpuSecondsPerStep / batchSize;
        }
    }

    private TrainingCost() {
    }

    /** Times {@code steps} steps (after one warm-up step) at {@code batchSize} on {@code files}, cycled. */
    public static Result measure(Clip clip, List<Path> files, Mode mode, int batchSize, int steps) throws IOException {
        if (steps < 1 || batchSize < 2 || files.isEmpty()) {
            throw new IllegalArgumentException("need at least 1 step, a batch of 2 and an image");
        }
        try (TrainingImages images = new TrainingImages(clip, files, Optional.empty(),
                DecodedImages.DEFAULT_BUDGET_BYTES, batchSize)) {
            // Embedding needs no trainable copy of the weights, and its memory should not count one.
            ClipFineTuning tuning = mode == Mode.EMBEDDING ? null : new ClipFineTuning(images,
                    mode == Mode.BOTH_TOWERS ? name -> true : name -> name.startsWith("visual."), 0.1, 0);
            List<String> captions = IntStream.range(0, CLASSES).mapToObj(c -> "a photo of a class " + c + ".").toList();
            int[][] tokens = clip.tokenizer().tokenize(captions);
            NDArray classWeights = images.manager().create(FloatRows.join(clip.embedTexts(captions)),
                    new Shape(CLASSES, clip.embedDim()));
            List<int[]> batches = new ArrayList<>();
            for (int step = 0; step <= steps; step++) {
                int first = step * batchSize;
                batches.add(IntStream.range(first, first + batchSize).map(i -> i % files.size()).toArray());
            }
            Augmentation crops = Augmentation.crops(clip.preprocessor(), 0.9, 1, false);
            double first = 0;
            double timed = 0;
            double cpu = 0;
            ProcessUsage.PeakWatch peak = null; // from the first timed step: steps ≥ 1, so always set
            try (BatchStream stream = images.stream(batches, List.of(crops), 1)) {
                for (int step = 0; step <= steps; step++) {
                    float[] pixels = TrainingImages.next(stream)[0];
                    int[] labels = IntStream.range(0, batchSize).map(i -> i % CLASSES).toArray();
                    if (step == 1) {
                        peak = ProcessUsage.watchPeak();
                    }
                    long start = System.nanoTime();
                    long cpuStart = ProcessUsage.cpuNanos();
                    switch (mode) {
                        case EMBEDDING -> clip.embedPixels(pixels, batchSize);
                        case IMAGE_TOWER -> tuning.step(() -> tuning.classifierLoss(pixels,
                                Arrays.stream(labels).asLongStream().toArray(), classWeights, clip.logitScale()), 1e-5);
                        case BOTH_TOWERS -> tuning.step(() -> tuning.contrastiveLoss(pixels, labels, tokens), 1e-5);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (step == 0) {
                        first = seconds;
                    } else {
                        timed += seconds;
                        cpu += (ProcessUsage.cpuNanos() - cpuStart) / 1e9;
                    }
                }
            }
            return new Result(mode, batchSize, steps, first, timed / steps, cpu / steps, peak.bytes());
        }
    }
}
