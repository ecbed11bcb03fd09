package org.clipwb.core.store;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives download progress, on the downloading thread: a report when a file's transfer starts, a few per second at
 * most while it runs, and a final one whose {@code bytesDone} equals the file's size. {@code bytesDone} only grows,
 * except when a server ignores a resume request and the file restarts from zero. Between reports come notes for the
 * user: which weights file a repo offers, a wait that the hub asked for, a retry, a partial download discarded.
 * Implementations must be quick (hand off to a UI thread if needed).
 */
@FunctionalInterface
public interface DownloadListener {
    /** A listener that ignores every report. */
    DownloadListener NONE = progress -> {
    };

    /** Called with the latest progress of the file being downloaded. */
    void onProgress(DownloadProgress progress);

    /**
     * Called with one line for the user, for example {@code rate-limited by the hub (HTTP 429 for config.json);
     * waiting 13 s before retry 1 of 4}. Ignored unless overridden.
     */
    default void onNote(String note) {
    }

    /** A listener that hands progress reports to {@code progress} and notes to {@code notes}. */
    static DownloadListener of(Consumer<DownloadProgress> progress, Consumer<String> notes) {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(notes, "notes");
        return new DownloadListener() {
            @Override
            public void onProgress(DownloadProgress report) {
                progress.accept(report);
            }

            @Override
            public void onNote(String note) {
                notes.accept(note);
            }
        };
    }
}
