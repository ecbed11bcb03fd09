package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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

class RunSignalsTest {
    @TempDir
    Path temp;

    private static PhaseSignals labels() {
        return new PhaseSignals("labels", 0, new int[] {2, 0, 1}, new float[] {0.9f, 0.4f, 0.6f},
                new boolean[] {true, false, true}, Map.of());
    }

    private static PhaseSignals fit() {
        return new PhaseSignals("fit", 1, new int[] {2, 1, 1}, new float[] {0.95f, 0.5f, 0.7f},
                new boolean[] {false, true, true}, Map.of(
                        "llu.alpha", new Tensor(new float[] {0.5f, 0.25f, 0.125f}, 3),
                        "coft.s_plus", new Tensor(new float[] {1, 2, 3, 4, 5, 6}, 3, 2)));
    }

    @Test
    void phasesReadBackInRunOrderWhateverOrderTheyWereSavedIn() throws IOException {
        RunSignals signals = new RunSignals(temp);
        assertEquals(List.of(), signals.phases(), "no signals yet");
        signals.save(fit());
        signals.save(labels());
        List<PhaseSignals> phases = signals.phases();
        assertEquals(List.of("labels", "fit"), phases.stream().map(PhaseSignals::phase).toList());
        PhaseSignals fit = phases.get(1);
        assertEquals(1, fit.order());
        assertArrayEquals(new int[] {2, 1, 1}, fit.predicted());
        assertArrayEquals(new float[] {0.95f, 0.5f, 0.7f}, fit.confidence());
        assertArrayEquals(new boolean[] {false, true, true}, fit.kept());
        assertEquals(2, fit.keptCount());
        assertEquals(3, fit.size());
        assertEquals(Map.of(), phases.get(0).extras());
    }

    @Test
    void extrasKeepTheirRowsPerImage() throws IOException {
        RunSignals signals = new RunSignals(temp);
        signals.save(fit());
        PhaseSignals fit = signals.phases().get(0);
        assertArrayEquals(new long[] {3, 2}, fit.extras().get("coft.s_plus").shape());
        assertArrayEquals(new float[] {3, 4}, fit.extra("coft.s_plus", 1).orElseThrow());
        assertArrayEquals(new float[] {0.125f}, fit.extra("llu.alpha", 2).orElseThrow());
        assertEquals(Optional.empty(), fit.extra("absent", 0));
    }

    @Test
    void anImagesHistoryFollowsThePhases() throws IOException {
        RunSignals signals = new RunSignals(temp);
        signals.save(labels());
        signals.save(fit());
        assertEquals(List.of(new RunSignals.ImageStep("labels", 0, 0.4f, false),
                new RunSignals.ImageStep("fit", 1, 0.5f, true)), signals.history(1));
        // Saving a phase again replaces it.
        signals.save(new PhaseSignals("labels", 0, new int[] {1, 1, 1}, new float[] {0.3f, 0.3f, 0.3f},
                new boolean[3], Map.of()));
        assertEquals(new RunSignals.ImageStep("labels", 1, 0.3f, false), signals.history(1).get(0));
        assertEquals(2, signals.phases().size());
    }

    @Test
    void signalsMustCoverTheSameImages() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class, () -> new PhaseSignals("p", 0,
                new int[2], new float[3], new boolean[2], Map.of()));
        assertEquals("predicted, confidence and kept must cover the same images", lengths.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PhaseSignals("p", 0, new int[2], new float[2],
                new boolean[1], Map.of()));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> new PhaseSignals("p", 0,
                new int[2], new float[2], new boolean[2], Map.of("x", new Tensor(new float[3], 3))));
        assertEquals("signal x covers 3 images, not 2", extra.getMessage());
    }

    @Test
    void aForeignSafetensorsFileAmongTheSignalsIsRefusedClearly() throws IOException {
        RunSignals signals = new RunSignals(temp);
        signals.save(labels());
        Path foreign = temp.resolve("signals").resolve("weights.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(foreign, Map.of("weight", manager.ones(new Shape(2))), Map.of("format", "pt"));
        }
        IOException e = assertThrows(IOException.class, signals::phases);
        assertEquals(foreign + " is not a workbench signals file (no clipwb.order)", e.getMessage());
        Files.writeString(temp.resolve("signals").resolve("notes.txt"), "other files are ignored");
        Files.delete(foreign);
        assertEquals(1, signals.phases().size());
    }
}
