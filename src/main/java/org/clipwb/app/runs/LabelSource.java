package org.clipwb.app.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.adapt.Accuracy;
import org.clipwb.core.adapt.RunImages;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunLabels;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * One side of a comparison: a run's final labels, the zero-shot labels a run started from, or the project's plain
 * zero-shot predictions (what the gallery shows), so that zero-shot counts as a run. Labels are keyed by the image's
 * path relative to the image folder, as runs record them. Read off the FX thread.
 */
public sealed interface LabelSource {
    /** The labels by image path; empty when there are none (a run not done, or recorded before runs kept images). */
    Map<String, Integer> labels(ProjectCatalog catalog) throws IOException;

    /** The evaluation label of each image by path (only those that have one). */
    Map<String, Integer> truth(ProjectCatalog catalog) throws IOException;

    /** The class names, by label. */
    List<String> classNames(ProjectCatalog catalog) throws IOException;

    /** The image folder the labels are about. */
    Path imageFolder();

    /**
     * The metrics shown beside the other side's, under the names runs record them ({@code target.accuracy},
     * {@code target.balanced_accuracy}, {@code target.images}, ...), so that rows line up.
     */
    Map<String, Double> metrics();

    /**
     * A run's labels: its final ones, or the zero-shot pseudo-labels it started from (its first phase), which are
     * class-balanced when its {@code labels.prior} is uniform (LLU's and CoFT's default) and so may differ from the
     * project's plain zero-shot predictions.
     *
     * @param run the run
     * @param startingLabels whether these are the labels the run started from rather than its final ones
     */
    record RunSource(RunRecord run, boolean startingLabels) implements LabelSource {
        private static final String ZERO_SHOT = "zero_shot_";

        @Override
        public Map<String, Integer> labels(ProjectCatalog catalog) throws IOException {
            return startingLabels ? RunLabels.zeroShotLabels(catalog, run.id()).orElse(Map.of())
                    : RunLabels.finalLabels(catalog, run.id());
        }

        @Override
        public Map<String, Integer> truth(ProjectCatalog catalog) throws IOException {
            return RunLabels.truth(catalog, run.id());
        }

        @Override
        public List<String> classNames(ProjectCatalog catalog) throws IOException {
            return classNamesOf(catalog, run);
        }

        @Override
        public Path imageFolder() {
            return Path.of(run.inputs().get(RunRecord.INPUT_IMAGES));
        }

        /** The starting labels show the run's zero-shot metrics under the adapted metrics' names. */
        @Override
        public Map<String, Double> metrics() {
            if (!startingLabels) {
                return run.metrics();
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            run.metrics().forEach((key, value) -> {
                if (key.contains(ZERO_SHOT)) {
                    metrics.put(key.replace(ZERO_SHOT, ""), value);
                } else if (key.endsWith(".images")) {
                    metrics.put(key, value);
                }
            });
            return metrics;
        }

        @Override
        public String toString() {
            return startingLabels ? "zero-shot pseudo-labels (as run " + run.id() + " started)"
                    : run.id() + " (" + run.method() + ")";
        }
    }

    /**
     * The project's zero-shot predictions: its current classifier over the folder's cached embeddings, the labels
     * the gallery shows when no run is chosen.
     *
     * @param result the window's latest zero-shot result
     */
    record ZeroShotSource(ZeroShotResult result) implements LabelSource {
        @Override
        public Map<String, Integer> labels(ProjectCatalog catalog) {
            return byPath(predicted());
        }

        @Override
        public Map<String, Integer> truth(ProjectCatalog catalog) {
            Map<String, Integer> truth = byPath(result.run().labels());
            truth.values().removeIf(label -> label < 0);
            return truth;
        }

        @Override
        public List<String> classNames(ProjectCatalog catalog) {
            return result.run().classes().names();
        }

        @Override
        public Path imageFolder() {
            return result.request().folder();
        }

        /** Accuracy and balanced accuracy on the whole folder, when it has evaluation labels, as runs compute them. */
        @Override
        public Map<String, Double> metrics() {
            int[] predicted = predicted();
            int[] labels = result.run().labels();
            Map<String, Double> metrics = new LinkedHashMap<>();
            put(metrics, "target.accuracy", Accuracy.plain(predicted, labels));
            put(metrics, "target.balanced_accuracy", Accuracy.balanced(predicted, labels, result.run().classes()
                    .size()));
            metrics.put("target.images", (double) predicted.length);
            return metrics;
        }

        @Override
        public String toString() {
            return "zero-shot (the project's classifier, " + result.run().predictions().size() + " images)";
        }

        /** Each image's predicted class and its probability, as a run's final labels are exported. */
        public List<ProjectCatalog.PredictionRow> predictionRows() {
            ZeroShotRun run = result.run();
            List<ProjectCatalog.PredictionRow> rows = new ArrayList<>();
            for (int i = 0; i < run.predictions().size(); i++) {
                Prediction prediction = run.predictions().get(i);
                rows.add(new ProjectCatalog.PredictionRow(run.images().entry(i).relativePath(), prediction.predicted(),
                        prediction.confidence()));
            }
            return rows;
        }

        private int[] predicted() {
            return result.run().predictions().stream().mapToInt(Prediction::predicted).toArray();
        }

        private Map<String, Integer> byPath(int[] labels) {
            ZeroShotRun run = result.run();
            Map<String, Integer> map = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i++) {
                map.put(run.images().entry(i).relativePath(), labels[i]);
            }
            return map;
        }

        private static void put(Map<String, Double> metrics, String key, OptionalDouble value) {
            value.ifPresent(v -> metrics.put(key, v));
        }
    }

    /**
     * The class names of a run: those it recorded with its images, else its class list file (an older run; the file
     * may have been edited since).
     */
    private static List<String> classNamesOf(ProjectCatalog catalog, RunRecord run) throws IOException {
        Optional<RunImages> images = RunImages.read(catalog.runDirectory(run.id()));
        return images.isPresent() ? images.get().classNames()
                : ClassList.read(Path.of(run.inputs().get(RunRecord.INPUT_CLASSES))).names();
    }
}
