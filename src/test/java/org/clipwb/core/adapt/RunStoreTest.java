package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.model.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
    @TempDir
    Path temp;

    @Test
    void aCheckpointReadsBackWithItsTensorsValuesEpochsAndFlag() throws IOException {
        RunStore store = new RunStore(temp.resolve("run"));
        assertTrue(Files.isDirectory(temp.resolve("run").resolve("checkpoints")));
        assertEquals(Optional.empty(), store.checkpoint("fit"));
        Checkpoint saved = Checkpoint.after(7)
                .tensor("weight", new Tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3))
                .tensors(Map.of("momentum.weight", new Tensor(new float[] {-0.5f, 0.25f}, 2)))
                .value("training_images", 120)
                .value("note", "β = 0.5, \"quoted\", 日本")
                .inProgress();
        store.save("fit", saved);
        Checkpoint loaded = store.checkpoint("fit").orElseThrow();
        assertEquals(7, loaded.epochsDone());
        assertFalse(loaded.complete());
        assertEquals(saved.tensors().keySet(), loaded.tensors().keySet());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, loaded.tensor("weight").values());
        assertArrayEquals(new long[] {2, 3}, loaded.tensor("weight").shape());
        assertArrayEquals(new float[] {-0.5f, 0.25f}, loaded.tensor("momentum.weight").values());
        assertEquals(Optional.of("120"), loaded.value("training_images"));
        assertEquals(Optional.of("β = 0.5, \"quoted\", 日本"), loaded.value("note"));
        assertEquals(Optional.empty(), loaded.value("absent"));
        assertEquals(Optional.empty(), store.checkpoint("labels"), "phases are stored apart");
    }

    @Test
    void aLaterSaveReplacesThePhasesCheckpoint() throws IOException {
        RunStore store = new RunStore(temp);
        store.save("fit", Checkpoint.after(1).tensor("w", Tensor.of(new float[] {1})).inProgress());
        store.save("fit", Checkpoint.after(2).value("only", "values").complete());
        Checkpoint loaded = store.checkpoint("fit").orElseThrow();
        assertEquals(2, loaded.epochsDone());
        assertTrue(loaded.complete());
        assertEquals(Map.of(), loaded.tensors());
        assertEquals(Map.of("only", "values"), loaded.values());
        try (var files = Files.list(temp.resolve("checkpoints"))) {
            assertEquals(List.of("fit.safetensors"), files.map(f -> f.getFileName().toString()).toList(),
                    "nothing half-written left beside it");
        }
    }

    @Test
    void aMissingTensorIsNamedWithTheOnesThereAre() {
        Checkpoint checkpoint = Checkpoint.after(0).tensor("a", Tensor.of(new float[] {1})).complete();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> checkpoint.tensor("b"));
        assertEquals("checkpoint lacks tensor b (has [a])", e.getMessage());
    }

    @Test
    void aSafetensorsFileThatIsNotACheckpointIsRefusedClearly() throws IOException {
        RunStore store = new RunStore(temp);
        Path file = temp.resolve("checkpoints").resolve("fit.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(file, Map.of("weight", manager.ones(new ai.djl.ndarray.types.Shape(2))),
                    Map.of("format", "pt"));
        }
        IOException e = assertThrows(IOException.class, () -> store.checkpoint("fit"));
        assertEquals(file + " is not a workbench checkpoint (no clipwb.epochs_done in its metadata)", e.getMessage());
        Files.writeString(file, "not safetensors at all");
        IOException garbage = assertThrows(IOException.class, () -> store.checkpoint("fit"));
        assertTrue(garbage.getMessage().startsWith(file.toString()), garbage.getMessage());
    }
}
