package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.LinearHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfTrainingTest {
    @TempDir
    Path temp;

    private final SelfTraining method = new SelfTraining();

    // A rate far above CoOp's 0.002 (tuned for prompt vectors; it barely moves a linear head at logit scale), so that
    // 30 epochs on 48 images show an effect.
    private Settings settings(String... more) {
        List<String> all = new ArrayList<>(List.of("labels.k=12", "train.epochs=30", "train.batch-size=8",
                "train.lr=0.5"));
        all.addAll(List.of(more));
        return BaselineRuns.settings(method, all.toArray(String[]::new));
    }

    @Test
    void measuresTheTargetOnAboutTwentyEpochsOfLongRunsAlwaysIncludingTheLast() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        BaselineRuns.run(method, DATA, settings("train.epochs=45", "train.batch-size=48"), temp.resolve("run"),
                events::add);
        List<Integer> measured = events.stream().filter(e -> e.phase().equals("train") && e.labels().isPresent()
                && e.labels().get().accuracyOfAll().isPresent()).map(ProgressEvent::epoch).toList();
        // 45 epochs: every third (ceil(45 / 20) = 3), then the last.
        List<Integer> expected = new ArrayList<>();
        for (int epoch = 3; epoch <= 45; epoch += 3) {
            expected.add(epoch);
        }
        assertEquals(expected, measured);
        assertEquals(45, events.stream().filter(e -> e.phase().equals("train") && e.labels().isPresent()).count());
    }

    @Test
    void trainsOnThePseudoLabelsAndBeatsZeroShotOnHeldOutImages() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        ClassifierHead head = BaselineRuns.run(method, DATA, settings(), temp.resolve("run"), events::add);
        assertTrue(head instanceof LinearHead);
        double zeroShot = BaselineRuns.zeroShotTestAccuracy();
        double adapted = BaselineRuns.testAccuracy(head);
        assertTrue(adapted > zeroShot, "self-training " + adapted + " vs zero-shot " + zeroShot);

        List<ProgressEvent> epochs = events.stream().filter(e -> e.phase().equals("train") && e.labels().isPresent())
                .toList();
        assertEquals(30, epochs.size());
        assertTrue(epochs.get(29).losses().get("cross-entropy") < epochs.get(0).losses().get("cross-entropy"));
        assertTrue(epochs.get(29).labels().orElseThrow().accuracyOfAll().isPresent());
        assertEquals(48, epochs.get(0).labels().orElseThrow().kept());
        // 48 pseudo-labels in batches of 8: 6 steps an epoch, the last of each reported with the epoch.
        assertEquals(30 * 6, events.stream().filter(e -> e.phase().equals("train")).count());
        assertEquals(30 * 6, epochs.get(29).step());

        List<PhaseSignals> signals = new RunSignals(temp.resolve("run")).phases();
        assertEquals(List.of("labels", "train"), signals.stream().map(PhaseSignals::phase).toList());
        assertEquals(48, signals.get(1).keptCount());
        assertArrayEquals(Predictions.of(head, DATA.target().embeddings()).labels(), signals.get(1).predicted());
        assertEquals("48", new RunStore(temp.resolve("run")).checkpoint("train").orElseThrow()
                .value("pseudo_labels_used").orElseThrow());

        BaselineRuns.assertRoundTrips(head, temp.resolve("saved"));
    }

    @Test
    void startsFromTheZeroShotClassifier() throws Exception {
        LinearHead head = (LinearHead) BaselineRuns.run(method, DATA, settings("train.lr=0", "train.warmup-epochs=0"),
                temp.resolve("run"), event -> { });
        float[][] expected = new CosineHead(DATA.classWeights(), DATA.logitScale())
                .probabilities(DATA.test().orElseThrow().embeddings());
        float[][] actual = head.probabilities(DATA.test().orElseThrow().embeddings());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 1e-6f);
        }
    }

    @Test
    void withShotsItAddsThemToThePseudoLabels() throws Exception {
        ClassifierHead head = BaselineRuns.run(method, BaselineRuns.withShots(8), settings(), temp.resolve("run"),
                event -> { });
        RunStore store = new RunStore(temp.resolve("run"));
        assertEquals("8", store.checkpoint("train").orElseThrow().value("shots_used").orElseThrow());
        assertEquals("56", store.checkpoint("train").orElseThrow().value("training_examples").orElseThrow());
        assertTrue(BaselineRuns.testAccuracy(head) > BaselineRuns.zeroShotTestAccuracy());
    }

    @Test
    void aRunCancelledMidEpochResumesToTheSameHead() throws Exception {
        BaselineRuns.assertResumesBitIdentically(method, DATA, settings(), "train", 13, 3, temp);
    }

    @Test
    void aRunWithAdamWResumesToTheSameHead() throws Exception {
        BaselineRuns.assertResumesBitIdentically(method, DATA, settings("train.optimizer=adamw"), "train", 7, 2, temp);
    }
}
