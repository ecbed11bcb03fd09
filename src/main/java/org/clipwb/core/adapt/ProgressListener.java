package org.clipwb.core.adapt;

/** Receives the progress of a run. Called on the run's thread: a GUI listener hands the event to its own thread. */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores every event. */
    ProgressListener NONE = event -> { };

    /** Called for each event. */
    void onProgress(ProgressEvent event);
}
