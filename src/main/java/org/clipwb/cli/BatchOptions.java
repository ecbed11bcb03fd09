package org.clipwb.cli;

import org.clipwb.core.embed.ImageEmbedder;
import picocli.CommandLine.Option;

/** How images are fed to the model: batch size and decode threads. */
final class BatchOptions {
    @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default: "
            + "${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--workers", description = "Decode threads (default: one per core).")
    Integer workers;

    int batchSize() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1");
        }
        return batchSize;
    }

    int workers() {
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1");
        }
        return workers == null ? ImageEmbedder.defaultWorkers() : workers;
    }
}
