package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClipAdapterHead;
import org.clipwb.core.util.FloatRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipAdapterTest {
    @TempDir
    Path temp;

    private final ClipAdapter method = new ClipAdapter();

    // A rate far above CoOp's 0.002 (tuned for prompt vectors), so that 30 epochs on 48 images show an effect.
    private Settings settings() {
        return BaselineRuns.settings(method, "labels.k=12", "train.epochs=30", "train.batch-size=8", "train.lr=0.5");
    }

    @Test
    void trainsTheAdapterOnThePseudoLabelsAndBeatsZeroShot() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        ClipAdapterHead head = (ClipAdapterHead) BaselineRuns.run(method, DATA, settings(), temp.resolve("run"),
                events::add);
        assertEquals(4, head.down().length, "D / reduction = 16 / 4");
        assertEquals(16, head.down()[0].length);
        assertEquals(0.2, head.ratio());
        assertSame(DATA.classWeights(), head.classWeights());
        assertTrue(BaselineRuns.testAccuracy(head) > BaselineRuns.zeroShotTestAccuracy(),
                BaselineRuns.testAccuracy(head) + " vs " + BaselineRuns.zeroShotTestAccuracy());

        List<ProgressEvent> epochs = events.stream().filter(e -> e.phase().equals("train") && e.labels().isPresent())
                .toList();
        assertEquals(30, epochs.size());
        assertEquals(1e-5, epochs.get(0).learningRate(), 1e-12, "CoOp's warm-up epoch");
        assertEquals(0.5, epochs.get(1).learningRate(), 1e-12);
        assertTrue(epochs.get(29).losses().get("cross-entropy") < epochs.get(0).losses().get("cross-entropy"));

        List<PhaseSignals> signals = new RunSignals(temp.resolve("run")).phases();
        assertEquals(List.of("labels", "train"), signals.stream().map(PhaseSignals::phase).toList());
        assertArrayEquals(signals.get(0).kept(), signals.get(1).kept());
        BaselineRuns.assertRoundTrips(head, temp.resolve("saved"));
    }

    @Test
    void theInitialisationFollowsTheSeed() throws Exception {
        Settings untrained = BaselineRuns.settings(method, "labels.k=12", "train.epochs=1", "train.lr=0",
                "train.warmup-epochs=0");
        ClipAdapterHead a = (ClipAdapterHead) BaselineRuns.run(method, DATA, untrained, 1, new RunStore(temp.resolve("a")),
                ProgressListener.NONE, new Cancellation());
        ClipAdapterHead b = (ClipAdapterHead) BaselineRuns.run(method, DATA, untrained, 2, new RunStore(temp.resolve("b")),
                ProgressListener.NONE, new Cancellation());
        assertFalse(Arrays.equals(a.down()[0], b.down()[0]));
        assertArrayEquals(ClipAdapter.kaimingUniform(new SplittableRandom(1), 4 * 16, 16),
                FloatRows.join(a.down()));
    }

    @Test
    void aReductionWiderThanTheEmbeddingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BaselineRuns.run(method, DATA,
                BaselineRuns.settings(method, "adapter.reduction=32"), temp.resolve("run"), event -> { }));
    }

    @Test
    void aRunCancelledMidEpochResumesToTheSameHead() throws Exception {
        BaselineRuns.assertResumesBitIdentically(method, DATA, settings(), "train", 11, 4, temp);
    }
}
