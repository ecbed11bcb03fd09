package org.clipwb.core.store;

import java.time.Duration;

/**
 * One progress report for one file.
 *
 * @param file           the file name inside the repo, for example {@code model.safetensors}
 * @param bytesDone      bytes on disk so far, including bytes kept from an earlier, interrupted attempt
 * @param totalBytes     the expected size, or -1 when the server did not announce it
 * @param bytesPerSecond the transfer rate over the last few seconds (0 until it can be measured)
 * @param eta            the estimated time left, or {@code null} when the total or the rate is unknown
 */
public record DownloadProgress(String file, long bytesDone, long totalBytes, double bytesPerSecond, Duration eta) {
}
