package org.clipwb.core.store;

/**
 * Receives download progress, on the downloading thread: a report when a file's transfer starts, a few per second at
 * most while it runs, and a final one whose {@code bytesDone} equals the file's size. {@code bytesDone} only grows,
 * except when a server ignores a resume request and the file restarts from zero. Implementations must be quick (hand
 * off to a UI thread if needed).
 */
@FunctionalInterface
public interface DownloadListener {
    /** A listener that ignores every report. */
    DownloadListener NONE = progress -> {
    };

    /** Called with the latest progress of the file being downloaded. */
    void onProgress(DownloadProgress progress);
}
