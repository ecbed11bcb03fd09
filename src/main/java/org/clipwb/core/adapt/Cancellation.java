package org.clipwb.core.adapt;

import java.util.concurrent.CancellationException;

/**
 * A request to stop or pause a run, checked by the run between steps. A cancelled run keeps its last checkpoint and
 * resumes from it. Interrupting the run's thread cancels it too. A paused run waits inside {@link #check} with all
 * its state in memory, so that after {@link #resume} it goes on exactly as if it had never stopped.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private boolean paused;

    /** Asks the run to stop at its next check (a paused run stops at once). */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /** Whether {@link #cancel} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Asks the run to wait at its next check until {@link #resume} or {@link #cancel}. */
    public synchronized void pause() {
        paused = true;
    }

    /** Lets a paused run go on. */
    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Whether the run is asked to wait. */
    public synchronized boolean isPaused() {
        return paused;
    }

    /** Throws if the run should stop: after {@link #cancel}, or when its thread was interrupted; waits while paused. */
    public void check() {
        synchronized (this) {
            try {
                while (paused && !cancelled) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (cancelled || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }
}
