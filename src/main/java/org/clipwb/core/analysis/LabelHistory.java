package org.clipwb.core.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * Every finished run's final label of each image of a project, read once from the catalog, so that an image's label
 * can be followed across runs.
 */
public final class LabelHistory {
    private final List<RunRecord> runs;
    private final List<Map<String, ProjectCatalog.PredictionRow>> byKey;

    private LabelHistory(List<RunRecord> runs, List<Map<String, ProjectCatalog.PredictionRow>> byKey) {
        this.runs = runs;
        this.byKey = byKey;
    }

    /** One run's final label of an image. */
    public record RunLabel(RunRecord run, int label, float confidence) {
    }

    /** The target predictions of every run of the catalog that has some, oldest run first. */
    public static LabelHistory load(ProjectCatalog catalog) throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        List<Map<String, ProjectCatalog.PredictionRow>> byKey = new ArrayList<>();
        List<RunRecord> all = new ArrayList<>(catalog.runs());
        all.sort((a, b) -> a.created().compareTo(b.created()));
        for (RunRecord run : all) {
            List<ProjectCatalog.PredictionRow> rows = catalog.predictions(run.id(), "target");
            if (!rows.isEmpty()) {
                Map<String, ProjectCatalog.PredictionRow> map = new HashMap<>(rows.size() * 2);
                rows.forEach(row -> map.put(row.path(), row));
                runs.add(run);
                byKey.add(map);
            }
        }
        return new LabelHistory(List.copyOf(runs), List.copyOf(byKey));
    }

    /** The runs that labelled the image {@code key}, oldest first. */
    public List<RunLabel> of(String key) {
        List<RunLabel> labels = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            ProjectCatalog.PredictionRow row = byKey.get(r).get(key);
            if (row != null) {
                labels.add(new RunLabel(runs.get(r), row.label(), row.confidence()));
            }
        }
        return labels;
    }

    /** The runs with predictions, oldest first. */
    public List<RunRecord> runs() {
        return runs;
    }
}
