package org.clipwb.app.runs;

import java.io.IOException;
import java.util.Map;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunLabels;

/**
 * One side of a comparison: a run's final labels, or the zero-shot labels a run started from (so that zero-shot
 * counts as a run).
 *
 * @param run the run
 * @param zeroShot whether this is the run's zero-shot labels rather than its final ones
 */
public record LabelSource(RunRecord run, boolean zeroShot) {
    /** The labels by image path; empty when the run has none (not done, or recorded before runs kept their images). */
    Map<String, Integer> labels(ProjectCatalog catalog) throws IOException {
        return zeroShot ? RunLabels.zeroShotLabels(catalog, run.id()).orElse(Map.of())
                : RunLabels.finalLabels(catalog, run.id());
    }

    @Override
    public String toString() {
        // A run's starting labels are zero-shot's, class-balanced when its labels.prior is uniform (LLU's and CoFT's
        // default), so they can differ from a plain zero-shot run's.
        return zeroShot ? "zero-shot pseudo-labels (as run " + run.id() + " started)"
                : run.id() + " (" + run.method() + ")";
    }
}
