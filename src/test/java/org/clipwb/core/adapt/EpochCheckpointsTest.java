package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochCheckpointsTest {
    @TempDir
    Path temp;

    @Test
    void afterAFlushTheLatestSavedEpochIsOnDisk() throws IOException {
        RunStore store = new RunStore(temp.resolve("run"));
        EpochCheckpoints checkpoints = new EpochCheckpoints(store);
        for (int epoch = 1; epoch <= 200; epoch++) {
            checkpoints.save("fit", Checkpoint.after(epoch).tensor("w", Tensor.of(new float[] {epoch, -epoch}))
                    .inProgress());
        }
        checkpoints.flush();
        Checkpoint written = store.checkpoint("fit").orElseThrow();
        assertEquals(200, written.epochsDone());
        assertFalse(written.complete());
        assertArrayEquals(new float[] {200, -200}, written.tensor("w").values());
        try (var files = Files.list(temp.resolve("run").resolve("checkpoints"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aFailedWriteIsReportedAtTheNextFlushAndSave() throws IOException {
        Path run = temp.resolve("run");
        RunStore store = new RunStore(run);
        EpochCheckpoints checkpoints = new EpochCheckpoints(store);
        // A file where the checkpoints folder should be: every write fails.
        Files.delete(run.resolve("checkpoints"));
        Files.writeString(run.resolve("checkpoints"), "in the way");
        checkpoints.save("fit", Checkpoint.after(1).inProgress());
        IOException flushed = assertThrows(IOException.class, checkpoints::flush);
        assertTrue(flushed.getMessage().startsWith("could not save a checkpoint: "), flushed.getMessage());
        assertThrows(IOException.class, () -> checkpoints.save("fit", Checkpoint.after(2).inProgress()));
    }
}
