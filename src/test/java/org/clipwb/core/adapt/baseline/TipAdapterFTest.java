package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.head.TipAdapterHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TipAdapterFTest {
    @TempDir
    Path temp;

    private final TipAdapterF method = new TipAdapterF();

    @Test
    void trainsTheKeysOfThePseudoLabeledCacheAndBeatsZeroShot() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        TipAdapterHead head = (TipAdapterHead) BaselineRuns.run(method, DATA,
                BaselineRuns.settings(method, "labels.k=12"), temp.resolve("run"), events::add);
        TipAdapterHead untrained = (TipAdapterHead) BaselineRuns.run(new TipAdapter(), DATA,
                BaselineRuns.settings(new TipAdapter(), "labels.k=12"), temp.resolve("tip"), event -> { });
        assertEquals(48, head.keys().length);
        assertFalse(Arrays.equals(untrained.keys()[0], head.keys()[0]), "the keys were trained");
        assertArrayEquals(untrained.values(), head.values());
        assertEquals(1.17, head.alpha());
        assertEquals(1.0, head.beta());
        assertTrue(BaselineRuns.testAccuracy(head) > BaselineRuns.zeroShotTestAccuracy(),
                BaselineRuns.testAccuracy(head) + " vs " + BaselineRuns.zeroShotTestAccuracy());

        List<ProgressEvent> epochs = events.stream().filter(e -> e.phase().equals("train")).toList();
        // 48 images in one batch of 256: one step an epoch, reported with the epoch; the cosine falls every step.
        assertEquals(20, epochs.size());
        assertEquals(1e-3, epochs.get(0).learningRate(), 1e-12);
        assertTrue(epochs.get(19).learningRate() < epochs.get(18).learningRate());
        assertTrue(epochs.get(19).losses().get("cross-entropy") < epochs.get(0).losses().get("cross-entropy"));

        List<PhaseSignals> signals = new RunSignals(temp.resolve("run")).phases();
        assertEquals(List.of("labels", "train"), signals.stream().map(PhaseSignals::phase).toList());
        assertEquals(48, signals.get(1).keptCount());
        BaselineRuns.assertRoundTrips(head, temp.resolve("saved"));
    }

    @Test
    void withShotsTheCacheHoldsOnlyTheShots() throws Exception {
        TipAdapterHead head = (TipAdapterHead) BaselineRuns.run(method, BaselineRuns.withShots(20),
                BaselineRuns.settings(method), temp.resolve("run"), event -> { });
        assertEquals(20, head.keys().length);
        assertEquals(0, new RunSignals(temp.resolve("run")).phases().get(1).keptCount());
    }

    @Test
    void aRunCancelledMidEpochResumesToTheSameHead() throws Exception {
        BaselineRuns.assertResumesBitIdentically(method, DATA,
                BaselineRuns.settings(method, "labels.k=12", "train.batch-size=16"), "train", 9, 2, temp);
    }
}
