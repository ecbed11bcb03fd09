package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.clipwb.core.adapt.RunExport;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.Evaluation;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.core.zeroshot.ZeroShotRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code clipwb zero-shot}: CLIP zero-shot predictions for a folder of images. */
@Command(name = "zero-shot", mixinStandardHelpOptions = true,
        description = {"Classifies every image of a folder among the classes of a class list with CLIP zero-shot.",
                "Writes path,prediction,confidence,margin and one probability column per class. When DIR has one "
                        + "subfolder per class, prints the accuracy and confusion matrix against those folders "
                        + "(they are used for nothing else)."})
final class ZeroShotCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    ImageOptions imageOptions;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A folder of images.")
    Path images;

    @Option(names = "--classes", paramLabel = "FILE",
            description = "Class list: one class per line; '#' comments and blank lines are ignored. Optional for a "
                    + "model exported by 'adapt --export', which carries its classes and adapted classifier.")
    Path classes;

    @Option(names = "--templates", defaultValue = PromptTemplates.DEFAULT_TEMPLATE, paramLabel = "T",
            description = "openai80 (OpenAI's 80 ImageNet templates), a template file (one per line), or one "
                    + "template with {} for the class name (default: \"${DEFAULT-VALUE}\").")
    String templates;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The predictions CSV to write.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (classes == null && !HeadFiles.exists(RunExport.classifierOf(Path.of(modelOptions.model)))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--classes=FILE'");
        }
        ClassList given = classes == null ? null : ClassList.read(classes);
        PromptTemplates promptTemplates = PromptTemplates.resolve(templates);
        ImageFolder folder = ImageFolder.scan(images);
        try (Clip clip = modelOptions.load(err)) {
            Path exported = RunExport.classifierOf(clip.directory());
            Optional<HeadFiles.Saved> adapted = HeadFiles.exists(exported) ? Optional.of(HeadFiles.load(exported))
                    : Optional.empty();
            ClassList classList = classList(given, adapted);
            EmbeddedFolder embedded = imageOptions.embed(clip, folder, err);
            ZeroShotRun run;
            String how;
            if (adapted.isPresent()) {
                run = ZeroShotRun.of(embedded, classList, Arrays.stream(adapted.get().head()
                        .probabilities(embedded.embeddings())).map(Prediction::new).toList());
                how = "the adapted " + adapted.get().head().kind() + " classifier exported with the model";
            } else {
                run = ZeroShotRun.classify(embedded, ZeroShotClassifier.build(classList, promptTemplates, clip,
                        clip.logitScale()));
                how = promptTemplates.description();
            }
            writePredictions(run);
            err.printf("Classified %d images among %d classes with %s into %s%n", embedded.size(), classList.size(),
                    how, out);
            if (!run.unmatchedFolders().isEmpty()) {
                err.println("No accuracy: the subfolders " + run.unmatchedFolders() + " match no class of "
                        + classes);
            }
            run.evaluation().ifPresent(evaluation -> report(evaluation, stdout));
        }
        return 0;
    }

    /** The class list: the one given, which must match an exported classifier's, or the exported one's. */
    private ClassList classList(ClassList given, Optional<HeadFiles.Saved> adapted) {
        if (given == null) {
            return ClassList.parse(String.join("\n", adapted.get().classNames()));
        }
        if (adapted.isPresent() && !given.names().equals(adapted.get().classNames())) {
            throw new IllegalArgumentException("the model's adapted classifier was trained for the classes "
                    + adapted.get().classNames() + ", not those of " + classes + " " + given.names()
                    + "; leave out --classes to use its own");
        }
        return given;
    }

    private void writePredictions(ZeroShotRun run) throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < run.predictions().size(); i++) {
            paths.add(run.images().entry(i).relativePath());
        }
        PredictionsCsv.write(out, run.classes().names(), paths, run.predictions());
    }

    private static void report(Evaluation evaluation, PrintWriter stdout) {
        stdout.printf(Locale.ROOT, "Accuracy: %.2f%% (%d of %d images, labels from class subfolders)%n",
                100 * evaluation.accuracy(), evaluation.correct(), evaluation.total());
        stdout.println("Confusion matrix (rows: true class, columns: predicted):");
        stdout.print(evaluation.confusionTable());
        stdout.flush();
    }
}
