package org.clipwb.core.util;

import java.time.Duration;
import java.util.Locale;

/** Progress and timing phrases shared by the command line and the desktop app, so both say the same thing. */
public final class ProgressText {
    private ProgressText() {
    }

    /** "Embedding images: 120/256 (47%), 21.3/s, ETA 6s", the rate measured since {@code startNanos}. */
    public static String count(String what, int done, int total, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < total ? ", ETA " + duration(Duration.ofSeconds(
                (long) Math.ceil((total - done) / rate))) : "";
        return String.format(Locale.ROOT, "%s: %d/%d (%d%%), %.1f/s%s", what, done, total,
                total == 0 ? 100 : done * 100 / total, rate, eta);
    }

    /** "120.5/605.1 MB, 23.4 MB/s, ETA 21s"; the total and the ETA are left out when unknown (negative, null). */
    public static String bytes(long done, long total, double bytesPerSecond, Duration eta) {
        String size = total > 0 ? megabytes(done) + "/" + megabytes(total) + " MB" : megabytes(done) + " MB";
        String etaText = eta == null ? "" : ", ETA " + duration(eta);
        return String.format(Locale.ROOT, "%s, %.1f MB/s%s", size, bytesPerSecond / 1e6, etaText);
    }

    /** A coarse duration for ETAs: "42s", "3m05s", "1h07m". */
    public static String duration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
    }

    /** A measured time: "40 ms" below a second, "3.2 s" below a minute, else as {@link #duration}. */
    public static String elapsed(Duration elapsed) {
        long millis = elapsed.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return duration(elapsed);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
