package org.clipwb.core.adapt;

import java.io.IOException;
import java.util.Optional;

/**
 * What a phase body gets: where to resume from, how to save its state at the end of an epoch, how to report
 * progress, and the run's cancellation, which it checks between steps.
 */
public final class PhaseContext {
    private final String phase;
    private final RunContext run;
    private final Optional<Checkpoint> resumeFrom;

    PhaseContext(String phase, RunContext run, Optional<Checkpoint> resumeFrom) {
        this.phase = phase;
        this.run = run;
        this.resumeFrom = resumeFrom;
    }

    /** The phase's id. */
    public String phase() {
        return phase;
    }

    /** The state saved at the end of the last finished epoch of an interrupted earlier attempt, if any. */
    public Optional<Checkpoint> resumeFrom() {
        return resumeFrom;
    }

    /**
     * Saves the state after an epoch, in the background; a resumed run continues from the latest one written, and
     * the phase's end, cancellation or failure waits for the latest to be written.
     */
    public void saveEpoch(Checkpoint state) throws IOException {
        run.saveEpoch(phase, state);
    }

    /** Reports progress to the run's listener. */
    public void report(ProgressEvent event) {
        run.listener().onProgress(event);
    }

    /** Stops the phase if the run was cancelled. */
    public void checkCancelled() {
        run.cancellation().check();
    }

    /** The run. */
    public RunContext run() {
        return run;
    }
}
