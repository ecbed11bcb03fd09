package org.clipwb.core.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.PhaseChanges;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunImages;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * The labels a run gave its images, read back from the catalog and the run's folder: its final labels, the zero-shot
 * labels it started from (so that zero-shot counts as a run in comparisons), the evaluation labels, and what each
 * phase changed.
 */
public final class RunLabels {
    private RunLabels() {
    }

    /** The run's final label of each image, by path; empty until the run is done. */
    public static Map<String, Integer> finalLabels(ProjectCatalog catalog, String runId) throws IOException {
        Map<String, Integer> labels = new LinkedHashMap<>();
        catalog.predictions(runId, "target").forEach(row -> labels.put(row.path(), row.label()));
        return labels;
    }

    /** The zero-shot label of each image the run started from (its pseudo-label phase), when it recorded them. */
    public static Optional<Map<String, Integer>> zeroShotLabels(ProjectCatalog catalog, String runId)
            throws IOException {
        Path directory = catalog.runDirectory(runId);
        Optional<RunImages> images = RunImages.read(directory);
        if (images.isEmpty()) {
            return Optional.empty();
        }
        for (PhaseSignals phase : new RunSignals(directory).phases()) {
            if (phase.phase().equals(PseudoLabelPhase.ID)) {
                return Optional.of(byPath(images.get(), phase.predicted()));
            }
        }
        return Optional.empty();
    }

    /** The evaluation label of each image by path (only those that have one). */
    public static Map<String, Integer> truth(ProjectCatalog catalog, String runId) throws IOException {
        Map<String, Integer> truth = new LinkedHashMap<>();
        RunImages.read(catalog.runDirectory(runId)).ifPresent(images -> {
            for (int i = 0; i < images.labels().length; i++) {
                if (images.labels()[i] >= 0) {
                    truth.put(images.paths().get(i), images.labels()[i]);
                }
            }
        });
        return truth;
    }

    /** What each of the run's phases changed, then its final labels when it is done; empty for an old run. */
    public static List<PhaseChanges.Step> steps(ProjectCatalog catalog, RunRecord run) throws IOException {
        Path directory = catalog.runDirectory(run.id());
        Optional<RunImages> images = RunImages.read(directory);
        if (images.isEmpty()) {
            return List.of();
        }
        List<ProjectCatalog.PredictionRow> predictions = run.status() == RunRecord.Status.DONE
                ? catalog.predictions(run.id(), "target") : List.of();
        return PhaseChanges.of(new RunSignals(directory).phases(), images.get(),
                predictions.isEmpty() ? null : images.get().labelsOf(predictions));
    }

    private static Map<String, Integer> byPath(RunImages images, int[] labels) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            map.put(images.paths().get(i), labels[i]);
        }
        return map;
    }
}
