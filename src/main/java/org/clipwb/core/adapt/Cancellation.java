package org.clipwb.core.adapt;

import java.util.concurrent.CancellationException;

/**
 * A request to stop a run, checked by the run between steps. A cancelled run keeps its last checkpoint and resumes
 * from it. Interrupting the run's thread cancels it too.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    /** Asks the run to stop at its next check. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws if the run should stop: after {@link #cancel}, or when its thread was interrupted. */
    public void check() {
        if (cancelled || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }
}
