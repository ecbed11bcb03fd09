package org.clipwb.core.adapt.flyp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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

/**
 * What a training step of whole-encoder fine-tuning costs on this machine (for {@code clipwb benchmark --training}):
 * a few steps of the real step code, timed after one warm-up step. The image tower alone trains with cross-entropy
 * through a fixed text classifier (the oracle's full fine-tuning); both towers train with FLYP's contrastive loss.
 * The images' decoding and augmentation are not counted. Besides wall time it reports the process's CPU time per
 * step, which says more than wall time on a machine that other work shares.
 */
public final class TrainingCost {
    /** Classes of the benchmark's labels and captions. */
    private static final int CLASSES = 4;

    /** What trains. */
    public enum Mode {
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
                    () -> new IllegalArgumentException("unknown training mode '" + word + "' (known: image, flyp)"));
        }
    }

    /** Seconds of the warm-up step, and mean wall and CPU seconds (all threads) of the timed steps. */
    public record Result(Mode mode, int batchSize, int steps, double firstStepSeconds, double secondsPerStep,
            double cpuSecondsPerStep) {
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
            ClipFineTuning tuning = new ClipFineTuning(images, mode == Mode.IMAGE_TOWER
                    ? name -> name.startsWith("visual.") : name -> true, 0.1, 0);
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
            try (BatchStream stream = images.stream(batches, List.of(crops), 1)) {
                for (int step = 0; step <= steps; step++) {
                    float[] pixels = TrainingImages.next(stream)[0];
                    int[] labels = IntStream.range(0, batchSize).map(i -> i % CLASSES).toArray();
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    tuning.step(() -> mode == Mode.IMAGE_TOWER
                            ? tuning.classifierLoss(pixels, Arrays.stream(labels).asLongStream().toArray(),
                                    classWeights, clip.logitScale())
                            : tuning.contrastiveLoss(pixels, labels, tokens), 1e-5);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (step == 0) {
                        first = seconds;
                    } else {
                        timed += seconds;
                        cpu += (processCpuNanos() - cpuStart) / 1e9;
                    }
                }
            }
            return new Result(mode, batchSize, steps, first, timed / steps, cpu / steps);
        }
    }

    /** CPU time of every thread of this process, native ones included. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
