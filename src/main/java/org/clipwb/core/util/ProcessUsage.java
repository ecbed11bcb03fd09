package org.clipwb.core.util;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What this process uses of the machine, for benchmarks: CPU time of all its threads (native ones included) and its
 * peak resident memory. The peak is Linux's {@code VmHWM}, which {@code /proc/self/clear_refs} can reset so that one
 * measurement's peak is not an earlier one's (proc(5)); the JDK has no API for either, hence the files.
 */
public final class ProcessUsage {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    /** clear_refs' command that resets the peak resident set size to the current one. */
    private static final String RESET_PEAK = "5";

    private ProcessUsage() {
    }

    /** CPU time of every thread of this process, native ones included, in nanoseconds. */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Resets the peak resident memory to the current; false where the system cannot (not Linux, or too old). */
    public static boolean resetPeakResident() {
        try {
            Files.writeString(CLEAR_REFS, RESET_PEAK, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Starts watching the peak resident memory: collects the Java heap's garbage first, so that earlier work's
     * garbage is not counted as what follows, then resets the peak.
     */
    public static PeakWatch watchPeak() {
        System.gc();
        return new PeakWatch(resetPeakResident());
    }

    /** The peak resident memory since {@link #watchPeak}; {@code resettable} is false where the system cannot say. */
    public record PeakWatch(boolean resettable) {
        /** The peak in bytes since the watch started; 0 where unknown. */
        public long bytes() {
            return resettable ? peakResidentBytes().orElse(0) : 0;
        }
    }

    /** "4.07 GB" for a peak from {@link PeakWatch#bytes}, "not measured" for 0. */
    public static String gigabytes(long bytes) {
        return bytes <= 0 ? "not measured" : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    /** The peak resident memory in bytes since the process started or the last reset; empty where unknown. */
    public static OptionalLong peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // proc(5) reports kB
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
    }
}
