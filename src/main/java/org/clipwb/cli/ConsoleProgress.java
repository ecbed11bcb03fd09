package org.clipwb.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress line on standard error: rewritten in place on a terminal (a few times per second), or printed as
 * plain lines every few seconds when the output goes to a log.
 */
final class ConsoleProgress implements AutoCloseable {
    private static final long TERMINAL_INTERVAL_NANOS = 150_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastShown;
    private int shownWidth;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    /** Shows a status, unless one was shown very recently. */
    synchronized void show(String status) {
        long now = System.nanoTime();
        if (lastShown == 0 && !terminal) {
            lastShown = now; // in a log, a line only for work that lasts a while
            return;
        }
        if (lastShown != 0 && now - lastShown < (terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            return;
        }
        lastShown = now;
        if (terminal) {
            err.print("\r" + status + " ".repeat(Math.max(0, shownWidth - status.length())));
            shownWidth = status.length();
        } else {
            err.println(status);
        }
        err.flush();
    }

    /** Removes the in-place line so that the next output starts clean. */
    synchronized void clear() {
        if (terminal && shownWidth > 0) {
            err.print("\r" + " ".repeat(shownWidth) + "\r");
            err.flush();
            shownWidth = 0;
        }
    }

    @Override
    public void close() {
        clear();
    }

    /** "Embedding images: 120/256 (47%), 21.3/s, ETA 6s". */
    static String describeCount(String what, int done, int total, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < total ? ", ETA " + formatDuration(Duration.ofSeconds(
                (long) Math.ceil((total - done) / rate))) : "";
        return String.format(Locale.ROOT, "%s: %d/%d (%d%%), %.1f/s%s", what, done, total,
                total == 0 ? 100 : done * 100 / total, rate, eta);
    }

    /** "120.5/605.1 MB, 23.4 MB/s, ETA 21s". */
    static String describeBytes(long done, long total, double bytesPerSecond, Duration eta) {
        String size = total > 0 ? megabytes(done) + "/" + megabytes(total) + " MB" : megabytes(done) + " MB";
        String etaText = eta == null ? "" : ", ETA " + formatDuration(eta);
        return String.format(Locale.ROOT, "%s, %.1f MB/s%s", size, bytesPerSecond / 1e6, etaText);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    static String formatDuration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
    }
}
