package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.clipwb.core.adapt.DescriptionSources;
import org.clipwb.core.adapt.bench.ResultsBenchmark;
import org.clipwb.core.adapt.bench.ResultsTable;
import org.clipwb.core.adapt.bench.TrainingCostTable;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.WorkbenchPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clipwb results}: regenerates {@code docs/results.md}, every method on fresh draws of the demo world. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Runs every method, and oracle upper bounds, on fresh draws of the demo world's targets, "
                + "several seeds each, and writes the table of balanced accuracies and wall times against zero-shot.",
                "Results are cached in the work folder by method, settings and code version: a rerun computes only "
                        + "what is missing or changed, and a killed run loses only the run in progress."})
final class ResultsCommand implements Callable<Integer> {
    /** The targets of docs/results.md: two with room to adapt, then the saturated control. */
    static final String DEFAULT_TARGETS = "fills-shifted,colours-cluttered,shapes-shifted";

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--output", defaultValue = "docs/results.md", paramLabel = "FILE",
            description = "The markdown to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the draws, runs and the results cache go "
            + "(default: $CLIPWB_HOME/results).")
    Path work;

    @Option(names = "--only", split = ",", paramLabel = "ID,ID", description = "Rows to compute: method ids, "
            + "llu-4-shots, oracle-linear-probe, oracle-full-fine-tuning, oracle-perfect-filter, or training-cost "
            + "for the training-cost table (default: every row). The document shows every row the cache has.")
    List<String> only;

    @Option(names = "--recompute", description = "Run the --only rows again even when the cache has them.")
    boolean recompute;

    @Option(names = "--table-only", description = "Compute nothing: write the table from the cache as it is.")
    boolean tableOnly;

    @Option(names = "--targets", split = ",", paramLabel = "P,P", defaultValue = DEFAULT_TARGETS,
            description = "Sample projects to draw targets from (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Seeds per target "
            + "(default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--target-images", defaultValue = "1200", paramLabel = "N",
            description = "Unlabeled target images per draw, at least (default: ${DEFAULT-VALUE}).")
    int targetImages;

    @Option(names = "--test-images", defaultValue = "400", paramLabel = "N",
            description = "Held-out test images per draw, at least (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--cost-architecture", defaultValue = TrainingCostTable.DEFAULT_ARCHITECTURE,
            paramLabel = "NAME", description = "Random weights of this architecture (ViT-B-32, ViT-B-16 or ViT-L-14) "
            + "for the training-cost table (default: ${DEFAULT-VALUE}).")
    String costArchitecture;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (recompute && only == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--recompute needs --only: name the rows "
                    + "to run again");
        }
        if (tableOnly && (only != null || recompute)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--table-only computes nothing: it takes "
                    + "neither --only nor --recompute");
        }
        ResultsBenchmark.Plan plan;
        try {
            List<ResultsBenchmark.Target> drawn = new ArrayList<>();
            for (String name : targets) {
                drawn.add(new ResultsBenchmark.Target(SampleProject.byName(name), targetImages, testImages));
            }
            List<ResultsBenchmark.RowSpec> rows = tableOnly ? List.of() : only == null ? ResultsBenchmark.rows()
                    : only.stream().filter(id -> !id.equals(TrainingCostTable.ID)).map(ResultsBenchmark::row).toList();
            plan = new ResultsBenchmark.Plan(drawn, rows, seeds, recompute);
            ClipConfig.preset(costArchitecture); // an unknown architecture is a usage error before any work
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path folder = work != null ? work : WorkbenchPaths.home().resolve("results");
        Optional<TrainingCostTable.Measured> cost = trainingCost(folder, err);
        List<ResultsBenchmark.TargetResult> results;
        String setting;
        try (Clip clip = modelOptions.load(err);
                EmbeddingCache cache = EmbeddingCache.open(WorkbenchPaths.embeddingCache())) {
            results = ResultsBenchmark.run(clip, plan, folder, cache, new ResultsBenchmark.Descriptions(
                    DescriptionSources.OFFLINE,
                    (classifier, target, project) -> DescriptionSources.of(DescriptionSources.OFFLINE, clip, classifier,
                            target, project, AdaptCommand.describing(err))), timestamped(err));
            setting = String.format(Locale.ROOT, "Model `%s` on the %s, %d CPU cores available to Java; written %s.",
                    clip.name(), clip.device().isGpu() ? "GPU" : "CPU", Runtime.getRuntime().availableProcessors(),
                    LocalDate.now());
        }
        AtomicFiles.write(output, ResultsTable.markdown(results, command(), setting, seeds, cost)
                .getBytes(StandardCharsets.UTF_8));
        err.println("Wrote " + output);
        return 0;
    }

    /**
     * The training-cost table: measured first, while the process holds nothing else (its peak memory is then what a
     * run of that size needs), when asked for and missing, stale or to be recomputed; otherwise the last one kept.
     */
    private Optional<TrainingCostTable.Measured> trainingCost(Path folder, PrintWriter err)
            throws IOException, InterruptedException {
        boolean asked = !tableOnly && (only == null || only.contains(TrainingCostTable.ID));
        boolean again = recompute && only != null && only.contains(TrainingCostTable.ID);
        if (asked && (again || TrainingCostTable.stored(folder, costArchitecture).isEmpty())) {
            Consumer<String> log = timestamped(err);
            log.accept("measuring the training-cost table on " + costArchitecture);
            return Optional.of(TrainingCostTable.measure(folder, costArchitecture, log));
        }
        return TrainingCostTable.read(folder);
    }

    /** Progress lines on standard error, each after the time of day. */
    private static Consumer<String> timestamped(PrintWriter err) {
        return line -> {
            err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
            err.flush();
        };
    }

    /** The command line that regenerates the document: the options that differ from the defaults. */
    private String command() {
        StringBuilder command = new StringBuilder("./clipwb results");
        if (!String.join(",", targets).equals(DEFAULT_TARGETS)) {
            command.append(" --targets ").append(String.join(",", targets));
        }
        if (seeds != 3) {
            command.append(" --seeds ").append(seeds);
        }
        if (targetImages != 1200) {
            command.append(" --target-images ").append(targetImages);
        }
        if (testImages != 400) {
            command.append(" --test-images ").append(testImages);
        }
        if (!costArchitecture.equals(TrainingCostTable.DEFAULT_ARCHITECTURE)) {
            command.append(" --cost-architecture ").append(costArchitecture);
        }
        return command.toString();
    }
}
