package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.clipwb.core.demo.DemoPretraining;
import org.clipwb.core.util.ProgressText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code clipwb pretrain-demo}: trains the bundled demo model from scratch (see docs/demo-model.md). */
@Command(name = "pretrain-demo", mixinStandardHelpOptions = true,
        description = {"Trains the demo CLIP from scratch on the procedural shapes world: learns its BPE vocabulary "
                + "from generated captions, then pretrains both towers contrastively on rendered scenes.",
                "The defaults reproduce the shipped model. Stopped runs resume when started again with the same "
                        + "settings and --output."})
final class PretrainDemoCommand implements Callable<Integer> {
    private static final DemoPretraining.Settings SHIPPED = DemoPretraining.Settings.shipped();

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Folder for the trained model (Hugging Face layout) and the run's checkpoint.")
    Path output;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and of the initial weights "
            + "(default: the shipped model's, " + "${DEFAULT-VALUE}).")
    long seed = SHIPPED.seed();

    @Option(names = "--steps", paramLabel = "N", description = "Optimisation steps (default: ${DEFAULT-VALUE}).")
    int steps = SHIPPED.steps();

    @Option(names = "--batch-size", paramLabel = "N", description = "Image-caption pairs per step "
            + "(default: ${DEFAULT-VALUE}).")
    int batchSize = SHIPPED.batchSize();

    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between held-out zero-shot evaluations "
            + "and checkpoints (default: ${DEFAULT-VALUE}).")
    int evalEvery = SHIPPED.evalEvery();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoPretraining.Settings settings;
        try {
            settings = SHIPPED.withRun(seed, steps, batchSize, Math.min(SHIPPED.warmupSteps(), steps / 10),
                    evalEvery);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.println("Pretraining the demo CLIP into " + output.toAbsolutePath() + " (seed " + seed + ", " + steps
                + " steps of " + batchSize + ")");
        out.flush();
        DemoPretraining.Result result;
        try (ConsoleProgress progress = new ConsoleProgress(err)) {
            int[] lastReported = {0};
            result = DemoPretraining.run(settings, output, p -> {
                DemoPretraining.Metrics latest = p.latest();
                if (latest != null && latest.step() != lastReported[0]) {
                    lastReported[0] = latest.step();
                    progress.clear();
                    out.printf(Locale.ROOT, "step %d: held-out zero-shot accuracy, shape %.1f%%, colour %.1f%%%n",
                            latest.step(), 100 * latest.shapeAccuracy(), 100 * latest.colourAccuracy());
                    out.flush();
                }
                progress.show(String.format(Locale.ROOT, "step %d/%d  loss %.3f  temperature %.1f  lr %.2e  "
                        + "%.0f img/s  elapsed %s  left %s%s", p.step(), p.steps(), p.loss(), p.temperature(),
                        p.learningRate(), p.imagesPerSecond(), ProgressText.duration(p.elapsed()),
                        ProgressText.duration(p.remaining()),
                        p.skippedSteps() == 0 ? "" : "  (" + p.skippedSteps()
                                + (p.skippedSteps() == 1 ? " step" : " steps") + " skipped: gradients not finite)"));
            });
        }
        DemoPretraining.Metrics last = result.finalMetrics();
        out.printf(Locale.ROOT, "Done in %s: %,d parameters; held-out zero-shot accuracy shape %.1f%%, colour %.1f%%"
                + "%nModel: %s%n", ProgressText.duration(result.wallTime()), result.parameters(),
                100 * last.shapeAccuracy(), 100 * last.colourAccuracy(), result.modelFolder().toAbsolutePath());
        return 0;
    }
}
