package org.clipwb.core.adapt.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.flyp.TrainingCost;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.Folders;
import org.clipwb.core.util.ProcessUsage;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * The second table of {@code docs/results.md}: what the work of the methods costs per image with a model of real
 * size on this machine (embedding, fine-tuning the image tower, fine-tuning both towers), so that users know when
 * they need a GPU. It times real steps ({@link TrainingCost}) of a model with random weights of a known architecture
 * (the speed does not depend on the values, and nothing is downloaded) on a draw of {@code fills-shifted}, and keeps
 * the measurement in the work folder, keyed by what decides it, so that a rerun of {@code clipwb results} measures
 * again only when the architecture, the machine's cores or the code of the steps changed.
 */
public final class TrainingCostTable {
    /** The id that names this table in {@code clipwb results --only}. */
    public static final String ID = "training-cost";
    /** The architecture the table is measured on: the "ViT-B/32-size training". */
    public static final String DEFAULT_ARCHITECTURE = "ViT-B-32";
    static final String FILE = "training-cost.json";
    static final int BATCH_SIZE = 32;
    static final int STEPS = 3;
    /** A pass (an epoch) over a folder this size is the table's example of a whole run's scale. */
    static final int EXAMPLE_IMAGES = 1_200;
    private static final long IMAGES_SEED = 0x5A3E_C057L;
    private static final long WEIGHTS_SEED = 42;
    /** The row of CoFT's Phase I with deep visual prompts. */
    static final String PROMPT_TUNING = "coft-phase1-vpt";
    private static final String COFT = "coft";
    /**
     * The code of the timed steps: the step loop, the fine-tuning, CoFT (and the engine that runs it), image
     * pipelines, optimizers and the model.
     */
    private static final List<String> CODE = List.of(TrainingCost.class.getPackageName(),
            "org.clipwb.core.adapt.coft", AdaptationRunner.class.getPackageName(), "org.clipwb.core.adapt.label",
            "org.clipwb.core.adapt.images", "org.clipwb.core.adapt.train", Clip.class.getPackageName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCostTable() {
    }

    /**
     * One kind of work: mean wall and CPU seconds per image over the timed steps, and the process's peak resident
     * memory over them (0 where unknown).
     */
    public record Row(String mode, double secondsPerImage, double cpuSecondsPerImage, long peakResidentBytes) {
    }

    /**
     * A measurement of every kind of work.
     *
     * @param key what decided it ({@link #key})
     * @param model the model's description, e.g. "random ViT-B-32, 151.3 M parameters"
     * @param device where it ran, "CPU" or "GPU"
     * @param finished when it was taken, ISO-8601
     */
    public record Measured(String key, String model, String device, int batchSize, int steps, int cores,
            String finished, List<Row> rows) {
    }

    /** What decides a measurement: the architecture, the batch, the steps, the cores and the code of the steps. */
    static String key(String architecture, int cores) {
        return String.format(Locale.ROOT, "%s batch %d steps %d cores %d code %s", architecture, BATCH_SIZE, STEPS,
                cores, CodeVersion.of(CODE));
    }

    /** The measurement kept in {@code work} for {@code architecture}, when it is still valid. */
    public static Optional<Measured> stored(Path work, String architecture) throws IOException {
        return read(work).filter(m -> m.key().equals(key(architecture, Runtime.getRuntime().availableProcessors())));
    }

    /** The measurement kept in {@code work}, valid or not (the table shows the last one there is). */
    public static Optional<Measured> read(Path work) throws IOException {
        Path file = work.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Measured.class));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not a training-cost measurement (" + e.getOriginalMessage()
                    + "); delete it to measure again", e);
        }
    }

    /**
     * Measures on random weights of {@code architecture} (written into {@code work} on first use) and a draw of
     * {@code fills-shifted}, keeps the result in {@code work} and returns it; a line of {@code log} per kind of work.
     */
    public static Measured measure(Path work, String architecture, Consumer<String> log)
            throws IOException, InterruptedException {
        ClipConfig config = ClipConfig.preset(architecture);
        // Two batches: CoFT's Phase I then takes two steps per model, four in all, of which the last three are timed.
        int count = 2 * BATCH_SIZE;
        ProjectFolder images = new ProjectFolder(work.resolve("draws").resolve("training-cost-images-" + count));
        if (!Files.isRegularFile(images.templates())) {
            int classes = SampleProject.FILLS_SHIFTED.task().classNames().size();
            SampleProject.FILLS_SHIFTED.variant(IMAGES_SEED, count / classes).generate(images.dir());
        }
        Path weights = work.resolve("models").resolve("random-" + architecture);
        if (!Files.isDirectory(weights)) {
            log.accept("writing random weights of " + architecture + " to " + weights);
            // One fixed name for the folder being written: a killed run's leftover (600 MB for ViT-B/32) is replaced.
            Path partial = weights.resolveSibling(weights.getFileName() + ".partial");
            if (Files.exists(partial)) {
                Folders.deleteRecursively(partial);
            }
            Files.createDirectories(partial);
            ClipCheckpoint.writeRandom(config, partial, WEIGHTS_SEED);
            Files.move(partial, weights, StandardCopyOption.ATOMIC_MOVE);
        }
        try (Clip clip = Clip.load(weights, "random " + architecture)) {
            Measured measured = measure(clip, key(architecture, Runtime.getRuntime().availableProcessors()), images,
                    work.resolve("training-cost-project"), BATCH_SIZE, STEPS, log);
            save(work, measured);
            return measured;
        }
    }

    /** Keeps {@code measured} in {@code work}, atomically, in place of the last one. */
    static void save(Path work, Measured measured) throws IOException {
        Files.createDirectories(work);
        AtomicFiles.write(work.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(measured));
    }

    /**
     * Times every kind of work of {@link TrainingCost.Mode} on {@code clip}, {@code steps} steps of {@code batch}, and
     * CoFT's Phase I with visual prompts in a run of its own in {@code runFolder} (deleted after).
     *
     * @param project a {@code fills-shifted} draw of at least two batches of images
     */
    static Measured measure(Clip clip, String key, ProjectFolder project, Path runFolder, int batch, int steps,
            Consumer<String> log) throws IOException, InterruptedException {
        ImageFolder folder = ImageFolder.scan(project.images());
        List<Path> files = folder.entries().stream().map(ImageFolder.Entry::path).toList();
        List<Row> rows = new ArrayList<>();
        for (TrainingCost.Mode mode : TrainingCost.Mode.values()) {
            TrainingCost.Result result = TrainingCost.measure(clip, files, mode, batch, steps);
            rows.add(logged(new Row(mode.word(), result.secondsPerImage(), result.cpuSecondsPerImage(),
                    result.peakResidentBytes()), log));
        }
        rows.add(logged(promptTuning(clip, project, folder, runFolder, batch), log));
        String model = String.format(Locale.ROOT, "%s, %.1f M parameters", clip.name(), clip.parameterCount() / 1e6);
        return new Measured(key, model, clip.device().isGpu() ? "GPU" : "CPU", batch, steps,
                Runtime.getRuntime().availableProcessors(), Instant.now().toString(), rows);
    }

    private static Row logged(Row row, Consumer<String> log) {
        log.accept(String.format(Locale.ROOT, "training cost, %s: %.3f s per image (CPU %.3f s), peak %s", row.mode(),
                row.secondsPerImage(), row.cpuSecondsPerImage(), ProcessUsage.gigabytes(row.peakResidentBytes())));
        return row;
    }

    /**
     * CoFT's Phase I with deep visual prompts (the spec's ★), per image and model: a real run of CoFT on
     * {@code project}, one epoch at {@code batch}, timed from its step events after the first and stopped when the
     * phase's last step is done. Timing the method itself, rather than a copy of its step, keeps the row true to it.
     *
     * @param images {@code project}'s images, as {@link #measure} scanned them for the other rows
     */
    static Row promptTuning(Clip clip, ProjectFolder project, ImageFolder images, Path runFolder, int batch)
            throws IOException, InterruptedException {
        ZeroShotClassifier classifier = ZeroShotClassifier.build(SampleProject.FILLS_SHIFTED.task().classes(),
                PromptTemplates.read(project.templates()), clip, clip.logitScale());
        EmbeddedFolder target = EmbeddedFolder.embed(images,
                new ImageEmbedder(clip, null, batch, ImageEmbedder.defaultWorkers()), (done, total) -> { });
        AdaptationData data = DataPreparation.prepare(classifier, target, List.of(), files -> {
            throw new IllegalStateException("the training-cost table gives no labeled shots");
        }, Optional.empty()).data().withImages(new ImageSource(clip, project.images(), Optional.empty()));
        AdaptationMethod coft = AdaptationMethods.create(COFT);
        Map<String, String> settings = coft.info().defaults().with(Map.of("phase1.visual-module", "vpt",
                "phase1.epochs", "1", "phase1.batch-size", Integer.toString(batch), "phase1.warmup-epochs", "0"))
                .asText();
        Cancellation cancellation = new Cancellation();
        StepMeter meter = new StepMeter("phase1", cancellation);
        try (ProjectCatalog catalog = ProjectCatalog.open(runFolder)) {
            RunRecord run = catalog.createRun(COFT, 1, settings, Map.of(RunRecord.INPUT_IMAGES,
                    project.images().toString()));
            AdaptationRunner.run(catalog, run, coft, data, meter, cancellation, clip.device());
            throw new IllegalStateException("CoFT's run went past Phase I, which should have stopped it");
        } catch (CancellationException stoppedAfterPhaseOne) {
            return meter.row(PROMPT_TUNING, batch);
        } finally {
            Folders.deleteRecursively(runFolder);
        }
    }

    /**
     * Times the steps of one phase from its progress events (each sent when a step is done): from the first step's
     * event, so that the first step's warm-up is left out, to the last, when it cancels the run.
     */
    private static final class StepMeter implements ProgressListener {
        private final String phase;
        private final Cancellation cancellation;
        private long lastStep;
        private int timedSteps = -1;
        private long startNanos;
        private long startCpu;
        private long endNanos;
        private long endCpu;
        private ProcessUsage.PeakWatch peak;

        StepMeter(String phase, Cancellation cancellation) {
            this.phase = phase;
            this.cancellation = cancellation;
        }

        @Override
        public void onProgress(ProgressEvent event) {
            if (!event.phase().equals(phase) || event.step() <= lastStep) {
                return; // another phase, or an epoch's summary after its last step
            }
            lastStep = event.step();
            if (timedSteps < 0) {
                peak = ProcessUsage.watchPeak();
                startNanos = System.nanoTime();
                startCpu = ProcessUsage.cpuNanos();
                timedSteps = 0;
            } else {
                timedSteps++;
                endNanos = System.nanoTime();
                endCpu = ProcessUsage.cpuNanos();
            }
            if (event.step() >= event.steps()) {
                cancellation.cancel();
            }
        }

        Row row(String mode, int batch) {
            if (timedSteps < 1) {
                throw new IllegalStateException(phase + " took fewer than two steps: nothing to time after the first");
            }
            double images = (double) timedSteps * batch;
            return new Row(mode, (endNanos - startNanos) / 1e9 / images, (endCpu - startCpu) / 1e9 / images,
                    peak.bytes());
        }
    }

    /** The table's section of the document. */
    static String markdown(Measured measured) {
        StringBuilder md = new StringBuilder("## Training cost per image of a model of real size\n\n");
        md.append(String.format(Locale.ROOT, "What the methods' work costs per image with a model of real size, so "
                + "that you know when you need a GPU. Measured %s on the %s (%d cores available to Java) with %s "
                + "(random weights: the speed does not depend on their values), fp32, batches of %d `fills-shifted` "
                + "images resized to the model's input, the mean of %d steps after a warm-up step, decoding and "
                + "augmentation not counted. Wall time is what you wait; CPU time is the work of every thread, the "
                + "number to read when other work shares the machine. Peak memory is the process's resident peak "
                + "over the timed steps: the model, its trainable copy, gradients, the optimizer's state and the "
                + "batch's activations; the rows run one after another in one process, so a later row's peak may "
                + "also hold memory that an earlier one returned to the allocator but not to the system.%n%n",
                measured.finished().substring(0, Math.min(10, measured.finished().length())), measured.device(),
                measured.cores(), measured.model(), measured.batchSize(), measured.steps()));
        md.append(String.format(Locale.ROOT, "| work | used by | wall s per image | CPU s per image | a pass over "
                + "%,d images | peak memory |%n", EXAMPLE_IMAGES));
        md.append("|---|---|---|---|---|---|\n");
        for (Row row : measured.rows()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s | %s |%n", title(row.mode()),
                    usedBy(row.mode()), row.secondsPerImage(), row.cpuSecondsPerImage(),
                    duration(row.secondsPerImage() * EXAMPLE_IMAGES),
                    ProcessUsage.gigabytes(row.peakResidentBytes())));
        }
        md.append('\n');
        return md.toString();
    }

    private static String title(String mode) {
        return switch (mode) {
            case "embedding" -> "embedding (no gradients)";
            case "image" -> "fine-tuning the image tower (AdamW)";
            case "flyp" -> "fine-tuning both towers (AdamW)";
            case PROMPT_TUNING -> "CoFT's Phase I with deep visual prompts, per model (SGD)";
            default -> mode;
        };
    }

    private static String usedBy(String mode) {
        return switch (mode) {
            case "embedding" -> "every method: zero-shot, the methods on cached embeddings (LLU, Tip-Adapter, "
                    + "self-training, CLIP-Adapter), CoFT's Phase I with its default adapter (each image's features "
                    + "once), and classifying after fine-tuning";
            case "image" -> "CoFT's and CoFT+'s Phase II (SGD, whose state is half of AdamW's; CoFT+'s momentum "
                    + "contrast adds a pass of the key encoder), LatteCLIP, the oracle's full fine-tuning";
            case "flyp" -> "FLYP";
            case PROMPT_TUNING -> "CoFT and CoFT+ with `phase1.visual-module=vpt` (the spec's ★): prompts in every "
                    + "layer of the frozen image tower and positive and negative text prompts, for each of two models, "
                    + "so twice this per image and epoch; timed inside a real run";
            default -> "";
        };
    }

    private static String duration(double seconds) {
        return seconds < 90 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
}
