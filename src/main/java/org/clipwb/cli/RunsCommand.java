package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clipwb.core.adapt.RunExport;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.LabelExport;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunReport;
import org.clipwb.core.util.WorkbenchPaths;
import org.clipwb.core.zeroshot.ClassList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code clipwb runs list|show|export|report}: the runs of a project. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists, shows, exports and reports a project's "
        + "runs.", subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.ExportRun.class,
                RunsCommand.ReportRun.class})
final class RunsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose list, show, export or report");
    }

    /** The project option shared by the subcommands. */
    static final class ProjectOption {
        @Option(names = "--project", paramLabel = "P", description = "The project folder (default: "
                + "$CLIPWB_HOME/projects/default).")
        Path project;

        ProjectCatalog open(CommandLine commandLine) throws IOException {
            Path folder = project != null ? project : WorkbenchPaths.home().resolve("projects").resolve("default");
            if (!java.nio.file.Files.isRegularFile(folder.resolve(ProjectCatalog.FILE))) {
                throw new CommandLine.ParameterException(commandLine, folder + " is not a workbench project (no "
                        + ProjectCatalog.FILE + "); 'clipwb adapt --project " + folder + " ...' creates one");
            }
            return ProjectCatalog.open(folder);
        }

        static RunRecord run(ProjectCatalog catalog, String id, CommandLine commandLine) throws IOException {
            return catalog.run(id).orElseThrow(() -> new CommandLine.ParameterException(commandLine, "the project "
                    + catalog.directory() + " has no run '" + id + "' (see 'clipwb runs list')"));
        }
    }

    /** What every subcommand about one run takes: the project, the run's id, and the command line to write to. */
    abstract static class OneRun implements Callable<Integer> {
        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "RUN", description = "The run's id.")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per run: id, method, status, "
            + "accuracy against zero-shot.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        ProjectOption project;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (ProjectCatalog catalog = project.open(spec.commandLine())) {
                List<RunRecord> runs = catalog.runs();
                if (runs.isEmpty()) {
                    out.println("No runs in " + catalog.directory());
                }
                for (RunRecord run : runs) {
                    out.printf(Locale.ROOT, "%-36s %-14s %-9s %s%n", run.id(), run.method(), run.status(),
                            summary(run.metrics()));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A run's inputs, settings, metrics and "
            + "status.")
    static final class ShowRun extends OneRun {
        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (ProjectCatalog catalog = project.open(spec.commandLine())) {
                RunRecord run = ProjectOption.run(catalog, id, spec.commandLine());
                out.printf("Run %s: %s, seed %d, %s%n", run.id(), run.method(), run.seed(), run.status());
                out.printf("Created %s%s%n", run.created(), run.finished().map(f -> ", ended " + f).orElse(""));
                if (!run.message().isEmpty()) {
                    out.println("Note: " + run.message());
                }
                print(out, "Inputs", run.inputs());
                print(out, "Settings", run.settings());
                out.println("Metrics:");
                run.metrics().forEach((key, value) -> out.printf(Locale.ROOT, "  %s = %.6g%n", key, value));
                out.println("Folder: " + catalog.runDirectory(run.id()));
                out.flush();
            }
            return 0;
        }

        private static void print(PrintWriter out, String title, Map<String, String> values) {
            out.println(title + ":");
            values.forEach((key, value) -> out.println("  " + key + " = " + value));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Exports a finished run's labels (CSV, "
            + "class folders) and adapted model.")
    static final class ExportRun extends OneRun {
        @Option(names = "--labels-csv", paramLabel = "FILE.csv", description = "path,label,confidence of every image.")
        Path labelsCsv;

        @Option(names = "--labels-tree", paramLabel = "DIR", description = "One folder per class holding the images.")
        Path labelsTree;

        @Option(names = "--copy", description = "Copy the images into --labels-tree instead of linking to them.")
        boolean copy;

        @Option(names = "--model-dir", paramLabel = "DIR", description = "The adapted model and its classifier, for "
                + "'clipwb zero-shot --model DIR'.")
        Path modelDir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (labelsCsv == null && labelsTree == null && modelDir == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say what to export: --labels-csv, --labels-tree and/or --model-dir");
            }
            PrintWriter err = spec.commandLine().getErr();
            try (ProjectCatalog catalog = project.open(spec.commandLine())) {
                RunRecord run = ProjectOption.run(catalog, id, spec.commandLine());
                if (run.status() != RunRecord.Status.DONE) {
                    throw new IllegalStateException("run " + run.id() + " is " + run.status()
                            + ": resume it with 'clipwb adapt --resume " + run.id() + "' before exporting");
                }
                List<String> names = ClassList.read(Path.of(run.inputs().get(RunRecord.INPUT_CLASSES))).names();
                List<ProjectCatalog.PredictionRow> rows = catalog.predictions(run.id(), "target");
                if (labelsCsv != null) {
                    LabelExport.writeCsv(labelsCsv, rows, names);
                    err.println("Wrote " + rows.size() + " labels to " + labelsCsv);
                }
                if (labelsTree != null) {
                    LabelExport.writeTree(labelsTree, Path.of(run.inputs().get(RunRecord.INPUT_IMAGES)), rows, names,
                            copy ? LabelExport.TreeMode.COPY : LabelExport.TreeMode.LINK);
                    err.println("Wrote the class folders of " + rows.size() + " images to " + labelsTree);
                }
                if (modelDir != null) {
                    try (Clip clip = ModelOptions.load(run.inputs().get(RunRecord.INPUT_MODEL), false,
                            ai.djl.Device::cpu, org.clipwb.core.model.Precision.FP32, err)) {
                        RunExport.export(clip, catalog.runDirectory(run.id()), modelDir);
                    }
                    err.println("Exported the adapted model to " + modelDir);
                }
            }
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "Writes a run's report as one "
            + "self-contained HTML page: summary, curves, what each phase changed, settings, inputs and metrics.")
    static final class ReportRun extends OneRun {
        @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "The report to write.")
        Path out;

        @Override
        public Integer call() throws IOException {
            try (ProjectCatalog catalog = project.open(spec.commandLine())) {
                RunReport.write(catalog, ProjectOption.run(catalog, id, spec.commandLine()), out);
            }
            spec.commandLine().getErr().println("Wrote the report of run " + id + " to " + out);
            return 0;
        }
    }

    /** Accuracy against zero-shot in a few words, or nothing when the run has no evaluation labels. */
    static String summary(Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder();
        for (String split : new String[] {"target", "test"}) {
            Double adapted = metrics.get(split + ".accuracy");
            Double zeroShot = metrics.get(split + ".zero_shot_accuracy");
            if (adapted != null && zeroShot != null) {
                text.append(String.format(Locale.ROOT, "%s %.1f%% (zero-shot %.1f%%)  ", split, 100 * adapted,
                        100 * zeroShot));
            }
        }
        return text.toString().strip();
    }
}
