package org.clipwb.core.adapt.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.ClassDescriptions;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.baseline.SelfTraining;
import org.clipwb.core.adapt.baseline.ZeroShot;
import org.clipwb.core.adapt.images.Seeds;
import org.clipwb.core.adapt.oracle.OracleFineTune;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.describe.Described;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.Digests;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * The results table of {@code docs/results.md}: every method on fresh draws of the demo world's targets, with an
 * unlabeled target and a held-out test set per seed, against zero-shot and next to oracle upper bounds trained on
 * the true labels. Each seed draws its own target and test sets (from streams no shipped project uses) and seeds
 * the method. Results are kept in a {@link ResultCache}, so a rerun computes only what is missing or what changed.
 */
public final class ResultsBenchmark {
    /** Draw streams of a target: the shipped project's seed plus these offsets plus the seed. */
    private static final long TARGET_STREAMS = 10_000;
    private static final long TEST_STREAMS = 20_000;
    /** The packages every method's results depend on: the engine, labels, training, heads, image pipelines. */
    private static final List<String> ENGINE_PACKAGES = List.of("org.clipwb.core.adapt", "org.clipwb.core.adapt.label",
            "org.clipwb.core.adapt.train", "org.clipwb.core.adapt.head", "org.clipwb.core.adapt.images");

    private ResultsBenchmark() {
    }

    /**
     * A row of the table: a registered method, or an oracle (an upper bound trained on the target's true labels,
     * never a method).
     *
     * @param setup        what the row runs, as text for the results cache: the method and its full settings
     * @param codePackages the packages of the code the row runs, whose compiled classes version its results
     */
    public record RowSpec(String id, boolean oracle, String setup, List<String> codePackages, Runner runner) {
        /** Runs the row on one draw. */
        @FunctionalInterface
        public interface Runner {
            /** Runs on {@code data} (with its image files and evaluation labels) with {@code seed}. */
            Measured run(ProjectCatalog catalog, Clip clip, AdaptationData data, long seed) throws IOException;
        }

        /**
         * What a row measured: balanced accuracies (fractions) on the target and the held-out test set, the wall
         * time in seconds, and the run that has the details (a run id of the catalog, or a note).
         */
        public record Measured(double target, double test, double seconds, String run) {
        }

        /** A registered method with its default settings. */
        public static RowSpec method(String id) {
            return adaptation(id, id, Map.of(), false);
        }

        /**
         * A row run by a registered method through the engine, as {@code clipwb adapt} runs it; with
         * {@code onTrueLabels} the target's own images and true labels are its labeled shots.
         */
        public static RowSpec adaptation(String id, String methodId, Map<String, String> settings,
                boolean onTrueLabels) {
            return onTrueLabels ? adaptation(id, methodId, settings, true, " on true labels",
                    (data, seed) -> withTrueLabelsAsShots(data))
                    : adaptation(id, methodId, settings, false, "", (data, seed) -> data);
        }

        /**
         * A registered method given {@code shotsPerClass} labeled shots per class: target images with their true
         * labels, drawn by the seed, as a user who vouches for a few images of each class gives them.
         */
        public static RowSpec withShots(String id, String methodId, int shotsPerClass) {
            return adaptation(id, methodId, Map.of(), false, " with " + shotsPerClass + " shots per class",
                    (data, seed) -> ResultsBenchmark.withShots(data, shotsPerClass, seed));
        }

        private static RowSpec adaptation(String id, String methodId, Map<String, String> settings, boolean oracle,
                String inputNote, BiFunction<AdaptationData, Long, AdaptationData> input) {
            AdaptationMethod method = AdaptationMethods.create(methodId); // an unknown id fails here, naming the known
            List<String> packages = new ArrayList<>(ENGINE_PACKAGES);
            packages.add(method.getClass().getPackageName());
            String setup = methodId + " " + new TreeMap<>(method.info().defaults().with(settings).asText()) + inputNote;
            return new RowSpec(id, oracle, setup, packages, (catalog, clip, data, seed) -> {
                AdaptationMethod fresh = AdaptationMethods.create(methodId);
                AdaptationData adapted = input.apply(data, seed);
                RunRecord run = catalog.createRun(methodId, seed, fresh.info().defaults().with(settings).asText(),
                        Map.of(RunRecord.INPUT_IMAGES, adapted.images().map(ImageSource::targetRoot).map(Path::toString)
                                .orElse("")));
                RunRecord done = AdaptationRunner.run(catalog, run, fresh, adapted, event -> { }, new Cancellation(),
                        clip.device()).run();
                Map<String, Double> metrics = done.metrics();
                return new Measured(metrics.getOrDefault("target.balanced_accuracy", Double.NaN),
                        metrics.getOrDefault("test.balanced_accuracy", Double.NaN),
                        metrics.getOrDefault("wall_seconds", Double.NaN), done.id());
            });
        }

        /** Rows are the same row when their ids are: a runner is a fresh lambda each time a row is made. */
        @Override
        public boolean equals(Object other) {
            return other instanceof RowSpec row && row.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        /** What the row is called in the table. */
        String title() {
            return oracle ? "*" + id + " (upper bound)*" : id;
        }
    }

    /** LLU given 4 labeled shots per class (the few-shot bar), its default use of them. */
    public static final RowSpec LLU_FEW_SHOT = RowSpec.withShots("llu-4-shots", "llu", 4);

    /** The oracle linear probe: self-training's linear head trained on the true labels of every target image. */
    public static final RowSpec ORACLE_LINEAR_PROBE = RowSpec.adaptation("oracle-linear-probe", SelfTraining.ID,
            Map.of("train.on", "shots"), true);

    /**
     * The oracle full fine-tuning: the whole image tower trained with cross-entropy on the true labels of every
     * target image, through the zero-shot text classifier ({@link OracleFineTune}, its default options).
     */
    public static final RowSpec ORACLE_FULL_FINE_TUNING = oracleFineTuning("oracle-full-fine-tuning",
            OracleFineTune.Options.DEFAULTS);

    /**
     * The same fine-tuning on only the target images whose class-balanced zero-shot pseudo-label is right, as a
     * perfect noise filter over CoFT's Phase 0 labels would keep them: the bound of filtering those labels and then
     * fine-tuning the tower ({@link OracleFineTune.Training#RIGHT_PSEUDO_LABELS}).
     */
    public static final RowSpec ORACLE_PERFECT_FILTER = oracleFineTuning("oracle-perfect-filter",
            OracleFineTune.Options.DEFAULTS.with(OracleFineTune.Training.RIGHT_PSEUDO_LABELS));

    private static RowSpec oracleFineTuning(String id, OracleFineTune.Options options) {
        List<String> packages = new ArrayList<>(ENGINE_PACKAGES);
        packages.add(OracleFineTune.class.getPackageName());
        return new RowSpec(id, true, OracleFineTune.NAME + " " + options, packages,
                (catalog, clip, data, seed) -> {
                    OracleFineTune.Result result = OracleFineTune.run(data, options, seed, line -> { });
                    return new RowSpec.Measured(result.targetBalancedAccuracy(), result.testBalancedAccuracy(),
                            result.seconds(), OracleFineTune.NAME);
                });
    }

    /** Every row of the table in order: each registered method (zero-shot first), then the oracles. */
    public static List<RowSpec> rows() {
        List<RowSpec> rows = new ArrayList<>();
        rows.add(RowSpec.method(ZeroShot.ID));
        AdaptationMethods.ids().stream().filter(id -> !id.equals(ZeroShot.ID)).map(RowSpec::method).forEach(rows::add);
        rows.add(LLU_FEW_SHOT);
        rows.add(ORACLE_LINEAR_PROBE);
        rows.add(ORACLE_FULL_FINE_TUNING);
        rows.add(ORACLE_PERFECT_FILTER);
        return rows;
    }

    /** The row with this id: a method id or an oracle's. */
    public static RowSpec row(String id) {
        return rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no row '" + id + "' (known: " + String.join(", ",
                        rows().stream().map(RowSpec::id).toList()) + "; and " + TrainingCostTable.ID
                        + " for the training-cost table)"));
    }

    /**
     * A target of the table: draws of a sample project with at least {@code targetImages} unlabeled and
     * {@code testImages} held-out images, balanced (rounded up to whole images per class).
     */
    public record Target(SampleProject project, int targetImages, int testImages) {
        public Target {
            if (targetImages < 1 || testImages < 1) {
                throw new IllegalArgumentException("a target needs at least one target and one test image");
            }
        }

        /** What the target shows, for the table's heading. */
        public String role() {
            return switch (project) {
                case SHAPES_SHIFTED -> "the saturated control, where no method may lose more than 2 points";
                case FILLS_SHIFTED -> "room to adapt, at the head and in the encoder";
                case COLOURS_CLUTTERED -> "room to adapt: another attribute, under a milder shift";
                default -> "another sample project";
            };
        }

        int classes() {
            return project.task().classNames().size();
        }

        int targetPerClass() {
            return (targetImages + classes() - 1) / classes();
        }

        int testPerClass() {
            return (testImages + classes() - 1) / classes();
        }

        SampleProject.Variant targetDraw(long seed) {
            return project.variant(project.defaultVariant().seed() + TARGET_STREAMS + seed, targetPerClass());
        }

        SampleProject.Variant testDraw(long seed) {
            return project.variant(project.defaultVariant().seed() + TEST_STREAMS + seed, testPerClass());
        }
    }

    /**
     * How class descriptions are made for the methods that use them (CoFT+), per draw.
     *
     * @param id what the results cache records of the source, e.g. "offline"
     */
    public record Descriptions(String id, Factory factory) {
        /** The descriptions of a draw's classes; {@code projectFolder} may keep them for reuse. */
        @FunctionalInterface
        public interface Factory {
            ClassDescriptions create(ZeroShotClassifier classifier, EmbeddedFolder target, Path projectFolder)
                    throws IOException;
        }
    }

    /**
     * What to compute.
     *
     * @param run       rows to compute where the cache lacks them (zero-shot is added: every Δ needs it); none
     *                  writes the table from the cache alone
     * @param recompute compute {@code run}'s rows even where the cache has them
     */
    public record Plan(List<Target> targets, List<RowSpec> run, int seeds, boolean recompute) {
        public Plan {
            if (seeds < 1) {
                throw new IllegalArgumentException("need at least one seed, not " + seeds);
            }
        }
    }

    /** One row's results on a target: the cached result of each seed that has one. */
    public record RowResult(RowSpec row, List<ResultCache.Result> seeds) {
    }

    /** A target's rows, every row of {@link #rows()} whether computed or not. */
    public record TargetResult(Target target, List<RowResult> rows) {
    }

    /**
     * Computes what the plan asks and the cache in {@code work} lacks, one line of {@code log} per result, and
     * returns every row's results for the table.
     *
     * @param cache the embedding cache of the draws' images, or null for none
     */
    public static List<TargetResult> run(Clip clip, Plan plan, Path work, EmbeddingCache cache,
            Descriptions descriptions, Consumer<String> log) throws IOException, InterruptedException {
        ResultCache results = ResultCache.open(work);
        String model = clip.fingerprint(Digests.sha256(clip.weightsFile()));
        String world = CodeVersion.of(List.of(SampleProject.class.getPackageName()));
        List<RowSpec> toRun = new ArrayList<>(plan.run());
        if (!toRun.isEmpty() && toRun.stream().noneMatch(r -> r.id().equals(ZeroShot.ID))) {
            toRun.add(0, RowSpec.method(ZeroShot.ID));
        }
        ImageEmbedder embedder = new ImageEmbedder(clip, cache, 32, ImageEmbedder.defaultWorkers());
        Map<Target, Map<RowSpec, List<ResultCache.Result>>> found = new LinkedHashMap<>();
        try (ProjectCatalog catalog = ProjectCatalog.open(work.resolve("project"))) {
            // Seed by seed across the targets, so that a stopped benchmark leaves every target with its first seeds.
            for (long seed = 1; seed <= plan.seeds(); seed++) {
                for (Target target : plan.targets()) {
                    Map<RowSpec, List<ResultCache.Result>> byRow = found.computeIfAbsent(target, t -> {
                        Map<RowSpec, List<ResultCache.Result>> rows = new LinkedHashMap<>();
                        rows().forEach(r -> rows.put(r, new ArrayList<>()));
                        return rows;
                    });
                    Draw draw = new Draw(target, seed, work, world);
                    Optional<AdaptationData> data = Optional.empty();
                    for (RowSpec row : rows()) {
                        ResultCache.Key key = new ResultCache.Key(draw.id(), model, row.id(),
                                row.setup() + " descriptions=" + descriptions.id(),
                                CodeVersion.of(row.codePackages()), seed);
                        Optional<ResultCache.Result> cached = results.get(key);
                        boolean wanted = toRun.contains(row)
                                && (cached.isEmpty() || plan.recompute() && plan.run().contains(row));
                        if (!wanted) {
                            cached.ifPresent(byRow.get(row)::add);
                            continue;
                        }
                        if (data.isEmpty()) {
                            data = Optional.of(draw.prepare(clip, embedder, descriptions, catalog, log));
                        }
                        RowSpec.Measured measured = row.runner().run(catalog, clip, data.get(), seed);
                        ResultCache.Result result = new ResultCache.Result(key, measured.run(), measured.target(),
                                measured.test(), measured.seconds(), Instant.now().toString());
                        results.put(result);
                        byRow.get(row).add(result);
                        log.accept(String.format(Locale.ROOT, "%s seed %d %s: target %.1f%%, test %.1f%% (%.1f s)",
                                target.project().folderName(), seed, row.id(), 100 * result.target(),
                                100 * result.test(), result.seconds()));
                    }
                }
            }
        }
        List<TargetResult> table = new ArrayList<>();
        found.forEach((target, byRow) -> {
            List<RowResult> rows = new ArrayList<>();
            byRow.forEach((row, seeds) -> rows.add(new RowResult(row, seeds)));
            table.add(new TargetResult(target, rows));
        });
        return table;
    }

    /** The oracle's input: the target's own images with their true labels as labeled shots. */
    private static AdaptationData withTrueLabelsAsShots(AdaptationData data) {
        LabeledSet target = data.target();
        return new AdaptationData(data.classes(), target, data.classWeights(), data.logitScale(), target, data.test(),
                data.images(), data.descriptions(), data.templates());
    }

    /**
     * {@code data} with {@code perClass} of the target's images of each class (a seeded draw) as labeled shots, with
     * their true labels; they stay in the target, as the window's "vouch for this label" leaves them.
     */
    static AdaptationData withShots(AdaptationData data, int perClass, long seed) {
        LabeledSet target = data.target();
        List<Integer> order = new ArrayList<>(IntStream.range(0, target.size()).boxed().toList());
        Collections.shuffle(order, new Random(Seeds.of(seed, "shots")));
        int[] taken = new int[data.classCount()];
        List<Integer> shots = new ArrayList<>();
        for (int i : order) {
            int label = target.labels()[i];
            if (taken[label] < perClass) {
                taken[label]++;
                shots.add(i);
            }
        }
        shots.sort(null);
        return new AdaptationData(data.classes(), target, data.classWeights(), data.logitScale(),
                target.subset(shots.stream().mapToInt(Integer::intValue).toArray()), data.test(), data.images(),
                data.descriptions(), data.templates());
    }

    /** One seed's target and test draws of a target, generated into the work folder on first use. */
    private record Draw(Target target, long seed, Path work, String world) {
        /** What decides the images: the project, both streams and sizes, and the world's code. */
        String id() {
            SampleProject.Variant t = target.targetDraw(seed);
            SampleProject.Variant h = target.testDraw(seed);
            return String.format(Locale.ROOT, "%s target %d×%d test %d×%d world %s", target.project().folderName(),
                    t.seed(), t.imagesPerClass(), h.seed(), h.imagesPerClass(), world);
        }

        Path folder(SampleProject.Variant variant, String kind) {
            return work.resolve("draws").resolve(String.format(Locale.ROOT, "%s-%s-%d-%d-%s",
                    target.project().folderName(), kind, variant.seed(), variant.imagesPerClass(), world));
        }

        /** Generates (when needed) and embeds both draws, and prepares the data every row adapts from. */
        AdaptationData prepare(Clip clip, ImageEmbedder embedder, Descriptions descriptions, ProjectCatalog catalog,
                Consumer<String> log) throws IOException, InterruptedException {
            SampleProject.Variant targetDraw = target.targetDraw(seed);
            SampleProject.Variant testDraw = target.testDraw(seed);
            log.accept(String.format(Locale.ROOT, "%s seed %d: drawing and embedding %d target and %d test images",
                    target.project().folderName(), seed, targetDraw.imagesPerClass() * target.classes(),
                    testDraw.imagesPerClass() * target.classes()));
            ProjectFolder targetFolder = generated(targetDraw, folder(targetDraw, "target"));
            ProjectFolder testFolder = generated(testDraw, folder(testDraw, "test"));
            EmbeddedFolder targetImages = embedded(targetFolder, embedder);
            EmbeddedFolder testImages = embedded(testFolder, embedder);
            ZeroShotClassifier classifier = ZeroShotClassifier.build(target.project().task().classes(),
                    PromptTemplates.resolve(targetFolder.templates().toString()), clip, clip.logitScale());
            AdaptationData data = DataPreparation.prepare(classifier, targetImages, List.of(), files -> {
                throw new IllegalStateException("the benchmark gives no labeled shots");
            }, Optional.of(testImages)).data();
            return data.withImages(new ImageSource(clip, targetFolder.images(), Optional.of(testFolder.images())))
                    .withDescriptions(whenAsked(() -> descriptions.factory().create(classifier, targetImages,
                            catalog.directory())));
        }

        /** Descriptions made on the first request: a source may be costly (the offline bank embeds its captions). */
        private static ClassDescriptions whenAsked(DescriptionsSupplier source) {
            return new ClassDescriptions() {
                private ClassDescriptions made;

                private ClassDescriptions made() throws IOException {
                    if (made == null) {
                        made = source.get();
                    }
                    return made;
                }

                @Override
                public Described<String, List<String>> describe(List<String> classNames)
                        throws IOException, InterruptedException {
                    return made().describe(classNames);
                }

                /** LatteCLIP also asks the provider to describe images and groups. */
                @Override
                public Optional<StoredProvider> provider() {
                    try {
                        return made().provider();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }

        @FunctionalInterface
        private interface DescriptionsSupplier {
            ClassDescriptions get() throws IOException;
        }

        private static ProjectFolder generated(SampleProject.Variant variant, Path dir) throws IOException {
            ProjectFolder folder = new ProjectFolder(dir);
            if (!Files.isRegularFile(folder.templates())) {
                variant.generate(dir);
            }
            return folder;
        }

        private static EmbeddedFolder embedded(ProjectFolder folder, ImageEmbedder embedder)
                throws IOException, InterruptedException {
            return EmbeddedFolder.embed(ImageFolder.scan(folder.images()), embedder, (done, total) -> { });
        }
    }
}
