package org.clipwb.core.store;

/**
 * Receives download progress, on the downloading thread, a few times per second at most, plus one final report per
 * file whose {@code bytesDone} equals its size. Implementations must be quick (hand off to a UI thread if needed).
 */
@FunctionalInterface
public interface DownloadListener {
    /** A listener that ignores every report. */
    DownloadListener NONE = progress -> {
    };

    /** Called with the latest progress of the file being downloaded. */
    void onProgress(DownloadProgress progress);
}
