package org.clipwb.core.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Throttling, moving-window rate and ETA, on a clock the test drives. */
class ProgressMeterTest {
    private static final long MS = 1_000_000;

    private long now;
    private final List<DownloadProgress> reports = new ArrayList<>();
    private final ProgressMeter meter = new ProgressMeter("model.safetensors", reports::add, () -> now);

    @Test
    void reportsAtStartThenAtMostEveryQuarterSecond() {
        meter.start(500, 10_500);
        assertEquals(List.of(new DownloadProgress("model.safetensors", 500, 10_500, 0, null)), reports);

        now = 100 * MS;
        meter.advance(100);
        assertEquals(1, reports.size(), "throttled");

        now = 250 * MS;
        meter.advance(900);
        DownloadProgress report = reports.get(1);
        assertEquals(1500, report.bytesDone());
        assertEquals(4000.0, report.bytesPerSecond(), 1e-9, "1000 bytes received in 0.25 s; the 500 kept do not count");
        assertEquals(Duration.ofMillis(2250), report.eta());
    }

    @Test
    void rateFollowsTheLastFiveSeconds() {
        meter.start(0, -1);
        for (int step = 1; step <= 8; step++) { // 2 s at 4000 B/s
            now = step * 250 * MS;
            meter.advance(1000);
        }
        for (int step = 9; step <= 32; step++) { // then 6 s at 800 B/s
            now = step * 250 * MS;
            meter.advance(200);
        }
        DownloadProgress last = reports.get(reports.size() - 1);
        assertEquals(800.0, last.bytesPerSecond(), 1e-9);
        assertNull(last.eta(), "no ETA without a total");
        assertEquals(33, reports.size());
    }

    @Test
    void finishReportsTheCompleteFile() {
        meter.start(0, -1);
        now = 50 * MS;
        meter.advance(300);
        meter.finish(300);

        DownloadProgress last = reports.get(reports.size() - 1);
        assertEquals(300, last.bytesDone());
        assertEquals(300, last.totalBytes());
        assertEquals(6000.0, last.bytesPerSecond(), 1e-9);
        assertEquals(Duration.ZERO, last.eta());
    }
}
