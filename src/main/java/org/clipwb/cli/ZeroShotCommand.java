package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.Evaluation;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.core.zeroshot.ZeroShotRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--classes", required = true, paramLabel = "FILE",
            description = "Class list: one class per line; '#' comments and blank lines are ignored.")
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
        ClassList classList = ClassList.read(classes);
        PromptTemplates promptTemplates = PromptTemplates.resolve(templates);
        ImageFolder folder = ImageFolder.scan(images);
        try (Clip clip = modelOptions.load(err)) {
            EmbeddedFolder embedded = imageOptions.embed(clip, folder, err);
            ZeroShotClassifier classifier = ZeroShotClassifier.build(classList, promptTemplates, clip,
                    clip.logitScale());
            ZeroShotRun run = ZeroShotRun.classify(embedded, classifier);
            writePredictions(run);
            err.printf("Classified %d images among %d classes with %s into %s%n", embedded.size(), classList.size(),
                    promptTemplates.description(), out);
            if (!run.unmatchedFolders().isEmpty()) {
                err.println("No accuracy: the subfolders " + run.unmatchedFolders() + " match no class of "
                        + classes);
            }
            run.evaluation().ifPresent(evaluation -> report(evaluation, stdout));
        }
        return 0;
    }

    private void writePredictions(ZeroShotRun run) throws IOException {
        List<String> names = run.classifier().classes().names();
        List<String> header = new ArrayList<>(List.of("path", "prediction", "confidence", "margin"));
        header.addAll(names);
        CsvTable.write(out, header, sink -> {
            for (int i = 0; i < run.predictions().size(); i++) {
                Prediction prediction = run.predictions().get(i);
                List<String> row = new ArrayList<>();
                row.add(run.images().entry(i).relativePath());
                row.add(names.get(prediction.predicted()));
                row.add(Float.toString(prediction.confidence()));
                row.add(Float.toString(prediction.margin()));
                for (float probability : prediction.probabilities()) {
                    row.add(Float.toString(probability));
                }
                sink.row(row);
            }
        });
    }

    private static void report(Evaluation evaluation, PrintWriter stdout) {
        stdout.printf(Locale.ROOT, "Accuracy: %.2f%% (%d of %d images, labels from class subfolders)%n",
                100 * evaluation.accuracy(), evaluation.correct(), evaluation.total());
        stdout.println("Confusion matrix (rows: true class, columns: predicted):");
        stdout.print(evaluation.confusionTable());
        stdout.flush();
    }
}
