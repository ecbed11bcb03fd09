package org.clipwb.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clipwb.core.adapt.flyp.TrainingCost;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.Folders;
import org.clipwb.core.util.ProcessUsage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code clipwb benchmark}: image-embedding throughput on this machine, with decoding measured alone, inference
 * alone, and both together exactly as {@code clipwb embed} runs them. The embedding cache is never used.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Measures image embedding throughput: decode + preprocess alone, inference alone (batched), "
                + "and the two together as in 'embed' (no embedding cache).",
                "Without --model or --architecture it measures the bundled demo model; --architecture gives random "
                        + "weights of a known shape (no download needed).",
                "--training image|flyp times fine-tuning steps instead (the image tower, or both towers as FLYP); "
                        + "'clipwb results' keeps a table of both on ViT-B/32."})
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A folder of images.")
    Path images;

    @Option(names = "--count", defaultValue = "256", description = "Images to embed; the folder's images are "
            + "cycled when it has fewer (default: ${DEFAULT-VALUE}).")
    int count;

    /** Null when neither option is given: the default model. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ModelChoice modelChoice;

    @Mixin
    BatchOptions batch;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16",
            description = "Number format of the model (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--save-model", paramLabel = "DIR", description = "With --architecture: keep the random "
            + "checkpoint in DIR (e.g. to time 'clipwb embed --model DIR' as a whole process).")
    Path saveModel;

    @Option(names = "--training", paramLabel = "image|flyp|embedding", description = "Instead of embedding, time "
            + "training steps at --batch-size: 'image' fine-tunes the image tower (cross-entropy, AdamW), 'flyp' both "
            + "towers (FLYP's contrastive loss, AdamW); 'embedding' times the image tower without gradients the same "
            + "way, for comparison.")
    String training;

    @Option(names = "--steps", defaultValue = "3", description = "With --training: steps timed after one warm-up "
            + "step (default: ${DEFAULT-VALUE}).")
    int steps;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A real model, or random weights of a known architecture. */
    static final class ModelChoice {
        @Option(names = "--model", paramLabel = "M", required = true,
                description = "demo (the default: the bundled demo model), a Hugging Face model id or a local model "
                        + "folder (see 'clipwb models').")
        String model;

        @Option(names = "--architecture", paramLabel = "NAME", required = true,
                description = "Random weights of ViT-B-32, ViT-B-16 or ViT-L-14.")
        String architecture;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        if (saveModel != null && (modelChoice == null || modelChoice.architecture == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--save-model keeps the random checkpoint of --architecture; give --architecture with it");
        }
        List<Path> files = cycle(ImageFolder.scan(images).entries().stream().map(ImageFolder.Entry::path).toList());
        try (Clip clip = loadModel(err)) {
            int batchSize = batch.batchSize();
            int workers = batch.workers();
            out.printf(Locale.ROOT, "Model: %s, %.1f M parameters, %s, %s on %s (PyTorch %s), %d cores%n",
                    clip.name(), clip.parameterCount() / 1e6, clip.precision(), clip.preprocessor().config(),
                    clip.device(), Engine.getInstance().getVersion(), Runtime.getRuntime().availableProcessors());
            mklPathNote(System.getenv()).ifPresent(out::println);
            if (training != null) {
                TrainingCost.Result cost = TrainingCost.measure(clip, files, TrainingCost.Mode.of(training), batchSize,
                        steps);
                out.printf(Locale.ROOT, "Training (%s), batch %d: first step %.2f s; %d steps, %.2f s per step = "
                        + "%.3f s per image; CPU time %.2f s per step = %.3f s per image; peak resident memory %s%n",
                        training, batchSize, cost.firstStepSeconds(), cost.steps(), cost.secondsPerStep(),
                        cost.secondsPerImage(), cost.cpuSecondsPerStep(), cost.cpuSecondsPerImage(),
                        ProcessUsage.gigabytes(cost.peakResidentBytes()));
                return 0;
            }
            out.printf(Locale.ROOT, "Images: %d from %s (%d distinct files), batch %d, %d decode thread(s)%n",
                    files.size(), images, files.stream().distinct().count(), batchSize, workers);

            long start = System.nanoTime();
            float[][] tensors = decodeAll(files, clip.preprocessor(), workers);
            report(out, "decode + preprocess only", files.size(), System.nanoTime() - start);

            ClipPreprocessor preprocessor = clip.preprocessor();
            float[] buffer = new float[batchSize * preprocessor.tensorLength()];
            long warmUp = System.nanoTime();
            clip.embedPixels(fill(buffer, tensors, 0, batchSize), Math.min(batchSize, tensors.length));
            warmUp = System.nanoTime() - warmUp;
            start = System.nanoTime();
            for (int from = 0; from < tensors.length; from += batchSize) {
                int size = Math.min(batchSize, tensors.length - from);
                clip.embedPixels(fill(buffer, tensors, from, size), size);
            }
            report(out, "inference only (warm)", files.size(), System.nanoTime() - start);
            out.printf(Locale.ROOT, "  (first batch, not counted: %.2f s)%n", warmUp / 1e9);

            start = System.nanoTime();
            ImageEmbedder.Result result = new ImageEmbedder(clip, null, batchSize, workers).embed(files, (d, t) -> { });
            report(out, "end to end (as embed)", result.computed(), System.nanoTime() - start);
            if (!result.failures().isEmpty()) {
                out.println("  " + result.failures().size() + " files failed, e.g. " + result.failures().get(0));
            }
        }
        return 0;
    }

    private Clip loadModel(PrintWriter err) throws IOException, InterruptedException {
        if (modelChoice == null || modelChoice.architecture == null) {
            return ModelOptions.load(modelChoice == null ? ModelStore.DEFAULT_MODEL : modelChoice.model, false,
                    () -> Engine.getInstance().defaultDevice(), Precision.parse(precision), err);
        }
        ClipConfig config = ClipConfig.preset(modelChoice.architecture);
        Path dir = saveModel != null ? saveModel : Files.createTempDirectory("clipwb-random-");
        try {
            ClipCheckpoint.writeRandom(config, dir, 42);
            return Clip.load(dir, "random " + modelChoice.architecture, () -> Engine.getInstance().defaultDevice(),
                    Precision.parse(precision));
        } finally {
            if (saveModel == null) {
                Folders.deleteRecursively(dir);
            }
        }
    }

    private List<Path> cycle(List<Path> distinct) {
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException(images + " has no images");
        }
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            files.add(distinct.get(i % distinct.size()));
        }
        return files;
    }

    private static float[][] decodeAll(List<Path> files, ClipPreprocessor preprocessor, int workers)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> preprocessor.toTensor(ImageDecoder.decode(file))));
            }
            float[][] tensors = new float[files.size()][];
            for (int i = 0; i < tensors.length; i++) {
                try {
                    tensors[i] = futures.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalArgumentException("cannot decode " + files.get(i) + ": "
                            + e.getCause().getMessage(), e);
                }
            }
            return tensors;
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] fill(float[] buffer, float[][] tensors, int from, int size) {
        int length = tensors[0].length;
        for (int i = 0; i < size; i++) {
            System.arraycopy(tensors[from + i], 0, buffer, i * length, length);
        }
        return buffer;
    }

    private static void report(PrintWriter out, String phase, int images, long nanos) {
        double seconds = nanos / 1e9;
        out.printf(Locale.ROOT, "%-36s %5d images in %7.2f s = %7.1f images/s%n", phase + ":", images, seconds,
                images / seconds);
        out.flush();
    }

    /**
     * Says so when the {@code clipwb} launcher preloaded {@code packaging/native/mkl-intel-path.c}, which changes
     * oneMKL's kernels on AMD CPUs and so every number printed here (docs/performance.md).
     */
    static Optional<String> mklPathNote(Map<String, String> environment) {
        String preload = environment.getOrDefault("LD_PRELOAD", "");
        return preload.contains("mkl-intel-path")
                ? Optional.of("oneMKL: its Intel kernel path, preloaded by the clipwb launcher on this AMD CPU "
                        + "(CLIPWB_MKL_INTEL_PATH=0 turns it off)")
                : Optional.empty();
    }
}
