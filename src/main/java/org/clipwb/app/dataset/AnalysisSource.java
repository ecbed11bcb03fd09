package org.clipwb.app.dataset;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.analysis.LabelHistory;
import org.clipwb.core.analysis.RunAnalysis;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * Loads what the inspector and the dataset views show (the latest zero-shot result's images, and what the selected
 * run recorded about them) once per change of either, off the FX thread, and keeps it for the next request.
 */
public final class AnalysisSource {
    private ZeroShotResult loadedResult;
    private Key loadedKey;
    private RunAnalysis loaded;
    private LabelHistory history;
    private List<RunRecord> historyRuns;
    private ProjectCatalog historyCatalog;

    /** What an analysis was loaded for besides the zero-shot result: the run as it stood (its status may change). */
    private record Key(String runId, RunRecord.Status status, ProjectCatalog catalog) {
    }

    /**
     * The analysis of {@code result} under {@code run} (null = zero-shot) of {@code catalog}; call off the FX thread.
     *
     * @throws IOException when the run's files cannot be read
     */
    public synchronized RunAnalysis analysis(ZeroShotResult result, RunRecord run, ProjectCatalog catalog)
            throws IOException {
        Objects.requireNonNull(result, "result");
        Key key = new Key(run == null ? null : run.id(), run == null ? null : run.status(), catalog);
        // The result by identity: comparing its predictions would cost as much as reloading.
        if (result != loadedResult || !key.equals(loadedKey)) {
            loaded = run == null || catalog == null ? RunAnalysis.zeroShot(result.run())
                    : RunAnalysis.of(catalog, run, result.run());
            loadedResult = result;
            loadedKey = key;
        }
        return loaded;
    }

    /** Every run's final labels in {@code catalog}, read again when its {@code runs} change; off the FX thread. */
    public synchronized LabelHistory history(ProjectCatalog catalog, List<RunRecord> runs) throws IOException {
        if (catalog != historyCatalog || !runs.equals(historyRuns)) {
            history = LabelHistory.load(catalog);
            historyRuns = List.copyOf(runs);
            historyCatalog = catalog;
        }
        return history;
    }
}
