package org.clipwb.core.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Turns the byte counts of one file's download into throttled {@link DownloadProgress} reports, with the rate measured
 * over a moving window so that it follows speed changes without jittering on every chunk.
 */
final class ProgressMeter {
    static final long REPORT_INTERVAL_NANOS = Duration.ofMillis(250).toNanos();
    static final long RATE_WINDOW_NANOS = Duration.ofSeconds(5).toNanos();

    /** A point in time and the bytes transferred by then. */
    private record Sample(long nanos, long transferred) {
    }

    private final String file;
    private final DownloadListener listener;
    private final LongSupplier nanoClock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long totalBytes = -1;
    private long bytesDone;
    /** Bytes received by this meter; unlike bytesDone it excludes bytes kept from an earlier attempt. */
    private long transferred;
    private long lastReportNanos;

    ProgressMeter(String file, DownloadListener listener, LongSupplier nanoClock) {
        this.file = file;
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /**
     * (Re)starts the count at the bytes already on disk, which is lower than before when a server ignored a range
     * request and the file restarts from zero, and reports at once.
     */
    void start(long bytesOnDisk, long expectedTotal) {
        bytesDone = bytesOnDisk;
        totalBytes = expectedTotal;
        report(nanoClock.getAsLong());
    }

    /** Counts {@code bytes} more; reports only when the last report is at least {@link #REPORT_INTERVAL_NANOS} old. */
    void advance(long bytes) {
        bytesDone += bytes;
        transferred += bytes;
        long now = nanoClock.getAsLong();
        if (now - lastReportNanos >= REPORT_INTERVAL_NANOS) {
            report(now);
        }
    }

    /** Reports the completed file, of {@code size} bytes, unthrottled. */
    void finish(long size) {
        bytesDone = size;
        totalBytes = size;
        report(nanoClock.getAsLong());
    }

    private void report(long now) {
        samples.addLast(new Sample(now, transferred));
        // Keep the newest sample at or before the window start, so the rate spans the whole window once it can.
        while (samples.size() > 1 && now - secondOldest().nanos() >= RATE_WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample oldest = samples.peekFirst();
        long elapsed = now - oldest.nanos();
        double rate = elapsed > 0 ? (transferred - oldest.transferred()) * 1e9 / elapsed : 0;
        Duration eta = totalBytes >= 0 && rate > 0
                ? Duration.ofMillis(Math.round(Math.max(0, totalBytes - bytesDone) * 1000 / rate))
                : null;
        lastReportNanos = now;
        listener.onProgress(new DownloadProgress(file, bytesDone, totalBytes, rate, eta));
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }
}
