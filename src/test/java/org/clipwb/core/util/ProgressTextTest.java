package org.clipwb.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTextTest {
    @Test
    void bytesShowTotalRateAndEtaWhenKnown() {
        assertEquals("120.5/605.1 MB, 23.4 MB/s, ETA 21s",
                ProgressText.bytes(120_500_000, 605_100_000, 23_400_000, Duration.ofSeconds(21)));
        assertEquals("1.0 MB, 0.0 MB/s", ProgressText.bytes(1_000_000, -1, 0, null));
    }

    @Test
    void durationsAreCoarse() {
        assertEquals("42s", ProgressText.duration(Duration.ofSeconds(42)));
        assertEquals("3m05s", ProgressText.duration(Duration.ofSeconds(185)));
        assertEquals("1h07m", ProgressText.duration(Duration.ofMinutes(67)));
    }

    @Test
    void elapsedTimesKeepMillisecondsUnderASecond() {
        assertEquals("40 ms", ProgressText.elapsed(Duration.ofMillis(40)));
        assertEquals("3.2 s", ProgressText.elapsed(Duration.ofMillis(3_210)));
        assertEquals("2m00s", ProgressText.elapsed(Duration.ofSeconds(120)));
    }

    @Test
    void countGivesDoneTotalAndPercent() {
        String text = ProgressText.count("Embedding images", 12, 60, System.nanoTime() - 1_000_000_000L);
        assertTrue(text.startsWith("Embedding images: 12/60 (20%), "), text);
        assertTrue(text.contains("/s, ETA "), text);
    }
}
