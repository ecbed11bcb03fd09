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
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.clipwb.core.adapt.flyp.TrainingCost;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.Folders;

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
    /** The code of the timed steps: the step loop, the fine-tuning, image pipelines, optimizers and the model. */
    private static final List<String> CODE = List.of(TrainingCost.class.getPackageName(),
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
    public static Measured measure(Path work, String architecture, Consumer<String> log) throws IOException {
        ClipConfig config = ClipConfig.preset(architecture);
        Path images = work.resolve("draws").resolve("training-cost-images");
        if (!Files.isDirectory(images.resolve("images"))) {
            SampleProject.FILLS_SHIFTED.variant(IMAGES_SEED, BATCH_SIZE / 4).generate(images);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(images.resolve("images"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
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
            Measured measured = measure(clip, key(architecture, Runtime.getRuntime().availableProcessors()), files,
                    BATCH_SIZE, STEPS, log);
            save(work, measured);
            return measured;
        }
    }

    /** Keeps {@code measured} in {@code work}, atomically, in place of the last one. */
    static void save(Path work, Measured measured) throws IOException {
        Files.createDirectories(work);
        AtomicFiles.write(work.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(measured));
    }

    /** Times every kind of work of {@link TrainingCost.Mode} on {@code clip}, {@code steps} steps of {@code batch}. */
    static Measured measure(Clip clip, String key, List<Path> files, int batch, int steps, Consumer<String> log)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        for (TrainingCost.Mode mode : TrainingCost.Mode.values()) {
            TrainingCost.Result result = TrainingCost.measure(clip, files, mode, batch, steps);
            Row row = new Row(mode.word(), result.secondsPerImage(), result.cpuSecondsPerImage(),
                    result.peakResidentBytes());
            rows.add(row);
            log.accept(String.format(Locale.ROOT, "training cost, %s: %.3f s per image (CPU %.3f s), peak %s",
                    mode.word(), row.secondsPerImage(), row.cpuSecondsPerImage(), gigabytes(row.peakResidentBytes())));
        }
        String model = String.format(Locale.ROOT, "%s, %.1f M parameters", clip.name(), clip.parameterCount() / 1e6);
        return new Measured(key, model, clip.device().isGpu() ? "GPU" : "CPU", batch, steps,
                Runtime.getRuntime().availableProcessors(), Instant.now().toString(), rows);
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
                    duration(row.secondsPerImage() * EXAMPLE_IMAGES), gigabytes(row.peakResidentBytes())));
        }
        md.append("\nCoFT's Phase I with deep visual prompts (`phase1.visual-module=vpt`, the spec's ★) back-propagates "
                + "through the frozen image tower for each of its two models, a cost per model and image of the "
                + "order of the image tower's fine-tuning ([performance.md](performance.md)).\n\n");
        return md.toString();
    }

    private static String title(String mode) {
        return switch (mode) {
            case "embedding" -> "embedding (no gradients)";
            case "image" -> "fine-tuning the image tower (AdamW)";
            case "flyp" -> "fine-tuning both towers (AdamW)";
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
            default -> "";
        };
    }

    private static String duration(double seconds) {
        return seconds < 90 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }

    private static String gigabytes(long bytes) {
        return bytes <= 0 ? "not measured" : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
