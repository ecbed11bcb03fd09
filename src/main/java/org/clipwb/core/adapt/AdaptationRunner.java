package org.clipwb.core.adapt;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * Runs a method as a run of a project: checkpoints and signals in the run's folder, the adapted classifier saved
 * as {@code classifier/} there with the run's images ({@link RunImages}) and progress history ({@link ProgressLog}),
 * the final predictions and the accuracies against zero-shot in the catalog, and the
 * run's status kept true (running, done, cancelled or failed) whatever happens.
 */
public final class AdaptationRunner {
    /** The folder of a run's adapted classifier. */
    public static final String CLASSIFIER_FOLDER = "classifier";

    private AdaptationRunner() {
    }

    /** What a finished run produced. */
    public record Outcome(RunRecord run, ClassifierHead head, float[][] targetProbabilities,
            Optional<float[][]> testProbabilities) {
    }

    /**
     * Runs (or resumes) {@code run} of {@code catalog} with {@code method} on {@code data}, training on {@code device}.
     *
     * @throws CancellationException when cancelled; the run is then recorded as cancelled and can be resumed
     */
    public static Outcome run(ProjectCatalog catalog, RunRecord run, AdaptationMethod method, AdaptationData data,
            ProgressListener listener, Cancellation cancellation, Device device) throws IOException {
        Settings settings = method.info().defaults().with(run.settings());
        RunRecord running = run.resumed();
        catalog.updateRun(running);
        Path directory = catalog.runDirectory(run.id());
        long started = System.nanoTime();
        ClassifierHead head;
        RunContext context;
        try (ProgressLog log = ProgressLog.open(directory)) {
            RunImages.of(data).save(directory);
            context = new RunContext(data, settings, run.seed(), new RunStore(directory), event -> {
                log.append(event);
                listener.onProgress(event);
            }, cancellation, device);
            head = method.adapt(context);
        } catch (CancellationException e) {
            catalog.updateRun(running.ended(RunRecord.Status.CANCELLED, Instant.now(), run.metrics(),
                    "cancelled; resume to continue from the last checkpoint"));
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            catalog.updateRun(running.ended(RunRecord.Status.FAILED, Instant.now(), run.metrics(),
                    String.valueOf(e.getMessage())));
            throw e;
        }
        HeadFiles.save(head, data.classes().names(), directory.resolve(CLASSIFIER_FOLDER));
        // An encoder-level method (CoFT) classifies with its own encoder's embeddings; the others with the frozen model's.
        Optional<AdaptedEmbeddings> adapted = context.adaptedEmbeddings();
        float[][] target = head.probabilities(adapted.map(AdaptedEmbeddings::target)
                .orElse(data.target().embeddings()));
        Optional<float[][]> test = data.test().map(set -> head.probabilities(adapted.flatMap(AdaptedEmbeddings::test)
                .orElse(set.embeddings())));
        Map<String, Double> metrics = new LinkedHashMap<>(run.metrics());
        metrics.putAll(context.metrics());
        metrics.put("wall_seconds", (System.nanoTime() - started) / 1e9);
        CosineHead zeroShot = new CosineHead(data.classWeights(), data.logitScale());
        putAccuracies(metrics, "target", target, zeroShot.probabilities(data.target().embeddings()), data.target(),
                data.classCount());
        if (test.isPresent()) {
            LabeledSet testSet = data.test().get();
            putAccuracies(metrics, "test", test.get(), zeroShot.probabilities(testSet.embeddings()), testSet,
                    data.classCount());
        }
        catalog.putPredictions(run.id(), "target", rows(data.target(), target));
        if (test.isPresent()) {
            catalog.putPredictions(run.id(), "test", rows(data.test().get(), test.get()));
        }
        RunRecord done = running.ended(RunRecord.Status.DONE, Instant.now(), metrics,
                String.join("; ", context.notes()));
        catalog.updateRun(done);
        return new Outcome(done, head, target, test);
    }

    /** The predicted class of each row of probabilities. */
    public static int[] predictions(float[][] probabilities) {
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = PseudoLabels.best(probabilities[i]).label();
        }
        return predicted;
    }

    private static void putAccuracies(Map<String, Double> metrics, String split, float[][] adapted, float[][] zeroShot,
            LabeledSet set, int classes) {
        int[] adaptedLabels = predictions(adapted);
        int[] zeroShotLabels = predictions(zeroShot);
        put(metrics, split + ".accuracy", Accuracy.plain(adaptedLabels, set.labels()));
        put(metrics, split + ".zero_shot_accuracy", Accuracy.plain(zeroShotLabels, set.labels()));
        put(metrics, split + ".balanced_accuracy", Accuracy.balanced(adaptedLabels, set.labels(), classes));
        put(metrics, split + ".zero_shot_balanced_accuracy", Accuracy.balanced(zeroShotLabels, set.labels(), classes));
        metrics.put(split + ".images", (double) set.size());
    }

    private static void put(Map<String, Double> metrics, String key, OptionalDouble value) {
        value.ifPresent(v -> metrics.put(key, v));
    }

    private static List<ProjectCatalog.PredictionRow> rows(LabeledSet set, float[][] probabilities) {
        List<ProjectCatalog.PredictionRow> rows = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            PseudoLabels.Best best = PseudoLabels.best(probabilities[i]);
            rows.add(new ProjectCatalog.PredictionRow(set.keys().get(i), best.label(), best.probability()));
        }
        return rows;
    }
}
