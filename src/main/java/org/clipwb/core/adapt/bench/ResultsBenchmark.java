package org.clipwb.core.adapt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.baseline.SelfTraining;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * The results table of {@code docs/results.md}: every method on fresh draws of the demo world's targets, with an
 * unlabeled target and a held-out test set per seed, against zero-shot and next to oracle upper bounds trained on
 * the true labels. Balanced accuracy, mean and spread over the seeds; each seed draws its own target and test sets
 * (from streams no shipped project uses) and seeds the method.
 */
public final class ResultsBenchmark {
    /** An oracle row: trained on the target's true labels, an upper bound and never a method. */
    public static final String ORACLE_LINEAR_PROBE = "oracle linear probe";

    private ResultsBenchmark() {
    }

    /**
     * A target of the table.
     *
     * @param role what it shows: "room to adapt" or "saturated control"
     * @param seedBase draws use streams {@code seedBase + seed} (target) and {@code seedBase + 1000 + seed} (test)
     */
    public record Target(SampleProject project, String role, int targetPerClass, int testPerClass, long seedBase) {
    }

    /** One method's results on one target: a value per seed. */
    public record Row(String method, boolean upperBound, double[] target, double[] test, double[] seconds) {
    }

    /** A target's rows, zero-shot's included. */
    public record TargetResult(Target target, int classes, List<Row> rows) {
    }

    /** Runs every method (and the oracle) on one target for each seed, logging one line per run. */
    public static TargetResult run(Clip clip, Target target, List<String> methods, int seeds, Path work,
            EmbeddingCache cache, Consumer<String> log) throws IOException, InterruptedException {
        SampleProject project = target.project();
        ClassList classes = ClassList.parse(String.join("\n", project.task().classNames()));
        List<String> rowNames = new ArrayList<>(methods);
        rowNames.add(ORACLE_LINEAR_PROBE);
        double[][][] values = new double[rowNames.size()][3][seeds];
        ImageEmbedder embedder = new ImageEmbedder(clip, cache, 32, ImageEmbedder.defaultWorkers());
        try (ProjectCatalog catalog = ProjectCatalog.open(work.resolve("project-" + project.folderName()))) {
            for (int s = 0; s < seeds; s++) {
                long seed = s + 1;
                EmbeddedFolder targetImages = draw(project.variant(target.seedBase() + seed, target.targetPerClass()),
                        work.resolve(project.folderName() + "-target-" + seed), embedder);
                EmbeddedFolder testImages = draw(project.variant(target.seedBase() + 1000 + seed,
                        target.testPerClass()), work.resolve(project.folderName() + "-test-" + seed), embedder);
                ZeroShotClassifier classifier = ZeroShotClassifier.build(classes,
                        PromptTemplates.resolve(new ProjectFolder(work.resolve(project.folderName() + "-target-" + seed))
                                .templates().toString()), clip, clip.logitScale());
                AdaptationData data = DataPreparation.prepare(classifier, targetImages, List.of(), files -> {
                    throw new IllegalStateException("no shots");
                }, Optional.of(testImages)).data();
                for (int m = 0; m < rowNames.size(); m++) {
                    String name = rowNames.get(m);
                    boolean oracle = name.equals(ORACLE_LINEAR_PROBE);
                    AdaptationMethod method = AdaptationMethods.create(oracle ? SelfTraining.ID : name);
                    AdaptationData input = oracle ? withTrueLabelsAsShots(data) : data;
                    Map<String, String> settings = oracle ? Map.of("train.on", "shots") : Map.of();
                    RunRecord run = catalog.createRun(method.info().id(), seed, method.info().defaults().with(settings)
                            .asText(), Map.of(RunRecord.INPUT_IMAGES, targetImages.folder().root().toString()));
                    RunRecord done = AdaptationRunner.run(catalog, run, method, input, event -> { },
                            new Cancellation(), clip.device()).run();
                    values[m][0][s] = done.metrics().getOrDefault("target.balanced_accuracy", Double.NaN);
                    values[m][1][s] = done.metrics().getOrDefault("test.balanced_accuracy", Double.NaN);
                    values[m][2][s] = done.metrics().getOrDefault("wall_seconds", Double.NaN);
                    log.accept(String.format(Locale.ROOT, "%s seed %d %-22s target %.1f%% test %.1f%% (%.1f s)",
                            project.folderName(), seed, name, 100 * values[m][0][s], 100 * values[m][1][s],
                            values[m][2][s]));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < rowNames.size(); m++) {
            rows.add(new Row(rowNames.get(m), rowNames.get(m).equals(ORACLE_LINEAR_PROBE), values[m][0], values[m][1],
                    values[m][2]));
        }
        return new TargetResult(target, classes.size(), rows);
    }

    /** The oracle's input: the target's own images with their true labels as labeled shots. */
    private static AdaptationData withTrueLabelsAsShots(AdaptationData data) {
        LabeledSet target = data.target();
        return new AdaptationData(data.classes(), target, data.classWeights(), data.logitScale(), target, data.test());
    }

    private static EmbeddedFolder draw(SampleProject.Variant variant, Path dir, ImageEmbedder embedder)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(new ProjectFolder(dir).templates())) {
            variant.generate(dir);
        }
        return EmbeddedFolder.embed(ImageFolder.scan(new ProjectFolder(dir).images()), embedder, (done, total) -> { });
    }

    /** The markdown of {@code docs/results.md}. */
    public static String markdown(List<TargetResult> results, String model, String command) {
        StringBuilder md = new StringBuilder("# Results\n\n");
        md.append("Generated by `").append(command).append("` on ").append(LocalDate.now()).append(" with the `")
                .append(model).append("` model, on this project's 2-core machine (CPU). Balanced accuracy in percent, "
                        + "mean ± standard deviation over the seeds; each seed draws a fresh unlabeled target and a "
                        + "held-out test set of the target's world, and seeds the method. Δ is against zero-shot "
                        + "on the same draws. Oracle rows train on the target's true labels: upper bounds, not "
                        + "methods. Methods never see evaluation labels.\n\n");
        for (TargetResult result : results) {
            Target target = result.target();
            md.append("## ").append(target.project().folderName()).append(" (").append(target.role()).append(")\n\n");
            md.append(String.format(Locale.ROOT, "%s. Unlabeled target: %d × %d images; held-out test: %d × %d.%n%n",
                    target.project().description(), result.classes(), target.targetPerClass(), result.classes(),
                    target.testPerClass()));
            md.append("| method | target | Δ target | held-out test | Δ test | wall time (s) |\n");
            md.append("|---|---|---|---|---|---|\n");
            Row zeroShot = result.rows().stream().filter(r -> r.method().equals("zero-shot")).findFirst().orElse(null);
            for (Row row : result.rows()) {
                md.append("| ").append(row.upperBound() ? "*" + row.method() + " (upper bound)*" : row.method())
                        .append(" | ").append(percent(row.target())).append(" | ")
                        .append(zeroShot == null ? "" : delta(row.target(), zeroShot.target())).append(" | ")
                        .append(percent(row.test())).append(" | ")
                        .append(zeroShot == null ? "" : delta(row.test(), zeroShot.test())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", mean(row.seconds()))).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Writes the markdown atomically. */
    public static void write(Path file, String markdown) throws IOException {
        AtomicFiles.write(file, markdown.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String percent(double[] values) {
        return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean(values), 100 * spread(values));
    }

    private static String delta(double[] values, double[] reference) {
        double[] differences = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            differences[i] = values[i] - reference[i];
        }
        return String.format(Locale.ROOT, "%+.1f", 100 * mean(differences));
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (0 for a single value). */
    static double spread(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
    }
}
