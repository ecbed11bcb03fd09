package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.bench.ResultsBenchmark;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.WorkbenchPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clipwb results}: regenerates {@code docs/results.md}, every method on fresh draws of the demo world. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Runs every method, and oracle upper bounds, on fresh draws of the demo world's targets "
                + "(fills-shifted: room to adapt; shapes-shifted: the saturated control), several seeds each, and "
                + "writes the table of balanced accuracies against zero-shot."})
final class ResultsCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--output", defaultValue = "docs/results.md", paramLabel = "FILE",
            description = "The markdown to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the draws and runs go (default: "
            + "$CLIPWB_HOME/results).")
    Path work;

    @Option(names = "--methods", split = ",", paramLabel = "M,M", description = "Methods to run (default: all).")
    List<String> methods;

    @Option(names = "--targets", split = ",", paramLabel = "P,P", defaultValue = "fills-shifted,shapes-shifted",
            description = "Sample projects to draw targets from (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Seeds per target "
            + "(default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--target-per-class", defaultValue = "150", paramLabel = "N",
            description = "Unlabeled target images per class (default: ${DEFAULT-VALUE}).")
    int targetPerClass;

    @Option(names = "--test-per-class", defaultValue = "50", paramLabel = "N",
            description = "Held-out test images per class (default: ${DEFAULT-VALUE}).")
    int testPerClass;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> chosen = methods == null ? AdaptationMethods.ids() : methods;
        if (!chosen.contains("zero-shot")) {
            chosen = new ArrayList<>(chosen);
            chosen.add(0, "zero-shot");
        }
        if (seeds < 1 || targetPerClass < 1 || testPerClass < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds and the per-class counts must be "
                    + "at least 1");
        }
        List<ResultsBenchmark.Target> drawn = new ArrayList<>();
        for (String name : targets) {
            SampleProject project;
            try {
                project = SampleProject.byName(name);
                chosen.forEach(AdaptationMethods::create);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            String role = project == SampleProject.SHAPES_SHIFTED ? "saturated control" : "room to adapt";
            drawn.add(new ResultsBenchmark.Target(project, role, targetPerClass, testPerClass, 50_000L * (drawn.size() + 1)));
        }
        Path folder = work != null ? work : WorkbenchPaths.home().resolve("results");
        List<ResultsBenchmark.TargetResult> results = new ArrayList<>();
        try (Clip clip = modelOptions.load(err); EmbeddingCache cache = EmbeddingCache.open(WorkbenchPaths.embeddingCache())) {
            for (ResultsBenchmark.Target target : drawn) {
                results.add(ResultsBenchmark.run(clip, target, chosen, seeds, folder, cache, line -> {
                    err.println(line);
                    err.flush();
                }));
            }
        }
        ResultsBenchmark.write(output, ResultsBenchmark.markdown(results, modelOptions.model, "clipwb results"
                + (methods == null ? "" : " --methods " + String.join(",", methods)) + " --seeds " + seeds));
        err.println("Wrote " + output);
        return 0;
    }
}
