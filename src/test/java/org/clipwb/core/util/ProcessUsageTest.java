package org.clipwb.core.util;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The process's CPU time and peak resident memory, which the training-cost table reports. */
class ProcessUsageTest {
    @Test
    void cpuTimeGrowsWithWork() {
        long before = ProcessUsage.cpuNanos();
        double sink = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sink += Math.sqrt(i);
        }
        assertTrue(sink > 0);
        assertTrue(ProcessUsage.cpuNanos() > before);
    }

    @Test
    void thePeakIsResetToTheCurrentAndRisesWithWhatIsTouched() {
        if (!Files.exists(Path.of("/proc/self/status"))) {
            assertTrue(ProcessUsage.peakResidentBytes().isEmpty(), "no /proc: not Linux");
            return;
        }
        Assumptions.assumeTrue(ProcessUsage.resetPeakResident(), "this Linux does not let a process reset its peak "
                + "resident memory (/proc/self/clear_refs)");
        long afterReset = ProcessUsage.peakResidentBytes().orElseThrow();
        // Native memory, zeroed as it is allocated: fresh pages, where the Java heap may already be resident.
        ByteBuffer touched = ByteBuffer.allocateDirect(128 << 20);
        long peak = ProcessUsage.peakResidentBytes().orElseThrow();
        assertTrue(touched.capacity() > 0);
        assertTrue(peak >= afterReset + (100L << 20), afterReset + " then " + peak);
    }
}
