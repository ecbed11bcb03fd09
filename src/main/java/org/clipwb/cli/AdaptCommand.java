package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.DescriptionSources;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunExport;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.describe.Describer;
import org.clipwb.core.data.LabeledShots;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.ProgressText;
import org.clipwb.core.util.WorkbenchPaths;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code clipwb adapt}: adapts CLIP to a folder of unlabeled images with one of the workbench's methods. */
@Command(name = "adapt", mixinStandardHelpOptions = true,
        description = {"Adapts CLIP to a folder of unlabeled images with an annotation-free method, as a run of a "
                + "project: resumable, recorded in the project's catalog, exportable.",
                "Writes the adapted predictions like zero-shot does and, when the folders have class subfolders, "
                        + "prints the accuracy on the folder (transductive) and on --test-images (held out) against "
                        + "zero-shot. Class subfolders are used for that report only, never by a method."})
final class AdaptCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    ImageOptions imageOptions;

    @Option(names = "--method", paramLabel = "M", description = "The method: ${COMPLETION-CANDIDATES}.",
            completionCandidates = MethodIds.class)
    String method;

    @Option(names = "--images", paramLabel = "DIR", description = "The folder of unlabeled images to adapt to.")
    Path images;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class list: one class per line.")
    Path classes;

    @Option(names = "--templates", defaultValue = PromptTemplates.DEFAULT_TEMPLATE, paramLabel = "T",
            description = "openai80, a template file, or one template with {} (default: \"${DEFAULT-VALUE}\").")
    String templates;

    @Option(names = "--shots", paramLabel = "FILE_OR_DIR", description = "Optional labeled shots you vouch for: a CSV "
            + "of path,label rows or a folder with one subfolder per class.")
    Path shots;

    @Option(names = "--test-images", paramLabel = "DIR", description = "A held-out folder to report accuracy on.")
    Path testImages;

    @Option(names = "--descriptions", paramLabel = "SOURCE", description = "Where descriptions come from, for the "
            + "methods that use them (coft+: of the classes; latteclip: of every image and group): offline (a "
            + "caption bank of the demo world, for the sample projects), a JSON file, or ollama:MODEL[@URL]. Kept in "
            + "the project's descriptions/ folder and reused.")
    String descriptions;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Predictions CSV of the adapted model on --images.")
    Path out;

    @Option(names = "--test-out", paramLabel = "FILE.csv", description = "Predictions CSV on --test-images.")
    Path testOut;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A method setting (repeatable); "
            + "'clipwb adapt --method M --list-settings' lists them.")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--list-settings", description = "Print the method's settings with defaults and descriptions.")
    boolean listSettings;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of every random choice "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--project", paramLabel = "P", description = "The project folder that keeps the run (default: "
            + "$CLIPWB_HOME/projects/default).")
    Path project;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue a cancelled, failed or killed run of the "
            + "project from its last checkpoint, with its recorded inputs and settings.")
    String resume;

    @Option(names = "--export", paramLabel = "DIR", description = "Export the adapted model and its classifier; "
            + "'clipwb zero-shot --model DIR' then reproduces the predictions.")
    Path export;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The method ids, for the help text. */
    static final class MethodIds extends ArrayList<String> {
        MethodIds() {
            super(AdaptationMethods.ids());
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (listSettings) {
            printSettings(stdout);
            return 0;
        }
        try (ProjectCatalog catalog = ProjectCatalog.open(projectFolder())) {
            RunRecord run = resume == null ? newRun(catalog) : catalog.run(resume).orElseThrow(
                    () -> usage("--resume: the project " + catalog.directory() + " has no run '" + resume
                            + "' (see 'clipwb runs list')"));
            if (run.status() == RunRecord.Status.DONE && resume != null) {
                err.println("Run " + run.id() + " is already done; its results are reported again");
            }
            AdaptationMethod adaptation = AdaptationMethods.create(run.method());
            Map<String, String> inputs = run.inputs();
            ClassList classList = ClassList.read(Path.of(inputs.get(RunRecord.INPUT_CLASSES)));
            PromptTemplates promptTemplates = PromptTemplates.resolve(inputs.get(RunRecord.INPUT_TEMPLATES));
            ImageFolder folder = ImageFolder.scan(Path.of(inputs.get(RunRecord.INPUT_IMAGES)));
            Optional<ImageFolder> testFolder = Optional.ofNullable(inputs.get(RunRecord.INPUT_TEST_IMAGES)).map(Path::of).map(AdaptCommand::scan);
            try (Clip clip = ModelOptions.load(inputs.get(RunRecord.INPUT_MODEL), modelOptions.offline, modelOptions.deviceOnDemand(),
                    modelOptions.precision(), err)) {
                EmbeddedFolder target = imageOptions.embed(clip, folder, err);
                Optional<EmbeddedFolder> test = testFolder.isEmpty() ? Optional.empty()
                        : Optional.of(imageOptions.embed(clip, testFolder.get(), err));
                ZeroShotClassifier classifier = ZeroShotClassifier.build(classList, promptTemplates, clip,
                        clip.logitScale());
                List<LabeledShots.Shot> shotList = inputs.containsKey(RunRecord.INPUT_SHOTS)
                        ? LabeledShots.read(Path.of(inputs.get(RunRecord.INPUT_SHOTS)), classList, folder.root()) : List.of();
                DataPreparation.Prepared prepared = DataPreparation.prepare(classifier, target, shotList,
                        files -> imageOptions.embedFiles(clip, files), test);
                // Encoder-level methods (CoFT) train on the image files with the loaded model.
                AdaptationData data = prepared.data().withImages(new ImageSource(clip, folder.root(),
                        testFolder.map(ImageFolder::root)));
                if (inputs.containsKey(RunRecord.INPUT_DESCRIPTIONS)) {
                    data = data.withDescriptions(DescriptionSources.of(inputs.get(RunRecord.INPUT_DESCRIPTIONS), clip,
                            classifier, target, catalog.directory(), describing(err)));
                }
                prepared.problems().forEach(p -> err.println("skipped shot " + p.path() + ": " + p.reason()));
                if (!shotList.isEmpty()) {
                    err.printf("Labeled shots: %d images from %s%n", prepared.data().shots().size(), inputs.get(RunRecord.INPUT_SHOTS));
                }
                err.printf("Run %s of project %s: %s on %d images, %d classes%n", run.id(), catalog.directory(),
                        adaptation.info().title(), target.size(), classList.size());
                AdaptationRunner.Outcome outcome;
                try (ConsoleProgress progress = new ConsoleProgress(err)) {
                    outcome = AdaptationRunner.run(catalog, run, adaptation, data,
                            event -> show(progress, event), new Cancellation(), clip.device());
                }
                if (out != null) {
                    writePredictions(out, classList, data.target(), outcome.targetProbabilities());
                }
                if (testOut != null) {
                    if (outcome.testProbabilities().isEmpty()) {
                        throw usage("--test-out needs --test-images");
                    }
                    writePredictions(testOut, classList, data.test().orElseThrow(),
                            outcome.testProbabilities().get());
                }
                report(outcome.run(), stdout);
                if (export != null) {
                    RunExport.export(clip, catalog.runDirectory(run.id()), export);
                    err.println("Exported the adapted model to " + export);
                }
            }
        }
        return 0;
    }

    private RunRecord newRun(ProjectCatalog catalog) throws IOException {
        if (method == null || images == null || classes == null) {
            throw usage("a new run needs --method, --images and --classes (or --resume RUN)");
        }
        AdaptationMethod adaptation;
        Settings settings;
        try {
            adaptation = AdaptationMethods.create(method);
            settings = adaptation.info().defaults().withAssignments(assignments);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (testOut != null && testImages == null) {
            throw usage("--test-out needs --test-images");
        }
        ClassList.read(classes); // a bad class list or descriptions source fails now, before a run is recorded
        if (descriptions != null) {
            try {
                DescriptionSources.check(descriptions);
            } catch (IllegalArgumentException e) {
                throw usage("--descriptions: " + e.getMessage());
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put(RunRecord.INPUT_MODEL, modelOptions.model);
        inputs.put(RunRecord.INPUT_IMAGES, images.toAbsolutePath().toString());
        inputs.put(RunRecord.INPUT_CLASSES, classes.toAbsolutePath().toString());
        inputs.put(RunRecord.INPUT_TEMPLATES, templates);
        if (shots != null) {
            inputs.put(RunRecord.INPUT_SHOTS, shots.toAbsolutePath().toString());
        }
        if (testImages != null) {
            inputs.put(RunRecord.INPUT_TEST_IMAGES, testImages.toAbsolutePath().toString());
        }
        if (descriptions != null) {
            inputs.put(RunRecord.INPUT_DESCRIPTIONS, descriptions);
        }
        return catalog.createRun(adaptation.info().id(), seed, settings.asText(), inputs);
    }

    /** Prints how far describing is, as {@code clipwb adapt} always did. */
    static Describer.Progress describing(PrintWriter err) {
        return (done, total, message) -> err.printf("descriptions %d/%d: %s%n", done, total, message);
    }

    private Path projectFolder() {
        return project != null ? project : WorkbenchPaths.home().resolve("projects").resolve("default");
    }

    private static ImageFolder scan(Path folder) {
        try {
            return ImageFolder.scan(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void show(ConsoleProgress progress, ProgressEvent event) {
        if (event.steps() == 0) {
            progress.note(event.message());
            return;
        }
        StringBuilder line = new StringBuilder(event.phase());
        if (event.epochs() > 0) {
            line.append(String.format(Locale.ROOT, " epoch %d/%d", event.epoch(), event.epochs()));
        }
        event.losses().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(loss ->
                line.append(String.format(Locale.ROOT, " · %s %.4f", loss.getKey(), loss.getValue())));
        if (!Double.isNaN(event.learningRate())) {
            line.append(String.format(Locale.ROOT, " · lr %.2g", event.learningRate()));
        }
        event.labels().ifPresent(labels -> labels.accuracyOfAll().ifPresent(accuracy ->
                line.append(String.format(Locale.ROOT, " · accuracy %.1f%%", 100 * accuracy))));
        if (event.imagesPerSecond() > 0) {
            line.append(String.format(Locale.ROOT, " · %.0f img/s", event.imagesPerSecond()));
        }
        event.eta().ifPresent(eta -> line.append(" · ").append(ProgressText.duration(eta)).append(" left"));
        progress.show(line.toString());
    }

    private static void writePredictions(Path file, ClassList classList, LabeledSet set, float[][] probabilities)
            throws IOException {
        PredictionsCsv.write(file, classList.names(), set.keys(), Arrays.stream(probabilities).map(Prediction::new).toList());
    }

    /** Prints the accuracies the runner recorded, adapted against zero-shot. */
    static void report(RunRecord run, PrintWriter stdout) {
        Map<String, Double> metrics = run.metrics();
        for (String[] split : new String[][] {{"target", "on the folder (transductive)"},
                {"test", "on --test-images (held out)"}}) {
            Double adapted = metrics.get(split[0] + ".accuracy");
            Double zeroShot = metrics.get(split[0] + ".zero_shot_accuracy");
            if (adapted != null && zeroShot != null) {
                stdout.printf(Locale.ROOT, "Accuracy %s: %.2f%% (zero-shot %.2f%%, %+.2f points) on %d images%n",
                        split[1], 100 * adapted, 100 * zeroShot, 100 * (adapted - zeroShot),
                        Math.round(metrics.get(split[0] + ".images")));
            }
        }
        stdout.printf(Locale.ROOT, "Run %s (%s, seed %d) done in %.1f s%n", run.id(), run.method(), run.seed(),
                metrics.getOrDefault("wall_seconds", 0.0));
        stdout.flush();
    }

    private void printSettings(PrintWriter stdout) {
        if (method == null) {
            throw usage("--list-settings needs --method");
        }
        AdaptationMethod adaptation;
        try {
            adaptation = AdaptationMethods.create(method);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        stdout.println(adaptation.info().title() + " — " + adaptation.info().paper());
        adaptation.info().settings().forEach(setting -> stdout.printf(Locale.ROOT, "  %-24s %-12s %s (%s)%n",
                setting.key(), setting.defaultValue(), setting.description(), setting.allowedValues()));
        stdout.flush();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
