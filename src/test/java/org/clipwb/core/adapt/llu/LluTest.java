package org.clipwb.core.adapt.llu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.SyntheticData;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.LluHead;
import org.clipwb.core.adapt.label.TrainingExamples;
import org.clipwb.testing.Heads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LluTest {
    private static final AdaptationData DATA = SyntheticData.create(4, 16, 40, 0.55, 0.35, 11);

    @TempDir
    Path temp;

    private final Llu llu = new Llu();

    private Settings settings() {
        return llu.info().defaults().withAssignments(List.of("train.epochs=30", "labels.k=12", "llu.anchors=20"));
    }

    /**
     * For the resume tests: the paper's λ = 10³ on an unsquared norm makes the maps oscillate about the identity,
     * which amplifies any last-bit difference of the native stack; λ = 1 keeps every resume mechanism (optimizer
     * state, epoch-seeded batches, restored phases) under test without that amplifier.
     */
    /** Batches of 32 give the fixture's pseudo-labels several steps per epoch, so a run can stop inside one. */
    private Settings resumeSettings() {
        return settings().withAssignments(List.of("llu.lambda=1", "train.batch-size=32"));
    }

    @Test
    void fitsOnPseudoLabelsAndBeatsZeroShotOnHeldOutImages() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        ClassifierHead head = llu.adapt(new RunContext(DATA, settings(), 3, new RunStore(temp.resolve("run")),
                events::add, new Cancellation()));
        double zeroShot = accuracy(new CosineHead(DATA.classWeights(), DATA.logitScale()));
        double adapted = accuracy(head);
        assertTrue(zeroShot < 0.9, "the synthetic target leaves room: zero-shot " + zeroShot);
        assertTrue(adapted > zeroShot, "LLU " + adapted + " vs zero-shot " + zeroShot);
        // The epochs' closing events carry the pseudo-label statistics; the steps' events do not.
        List<ProgressEvent> fit = events.stream().filter(e -> e.phase().equals("fit") && e.labels().isPresent())
                .toList();
        assertEquals(30, fit.size());
        assertTrue(fit.get(29).losses().get("cross-entropy") < fit.get(0).losses().get("cross-entropy"));
        assertTrue(fit.get(29).labels().orElseThrow().accuracyOfAll().isPresent());
        // λ = 0 by default: the regulariser is not trained, so its value comes once per epoch, not per step.
        assertTrue(fit.get(29).losses().get("regulariser") > 0, "the maps moved from the identity");
        assertTrue(events.stream().filter(e -> e.phase().equals("fit") && e.labels().isEmpty() && e.steps() > 0)
                .allMatch(e -> !e.losses().containsKey("regulariser")));
        RunSignals signals = new RunSignals(temp.resolve("run"));
        assertEquals(List.of("labels", "fit"), signals.phases().stream().map(p -> p.phase()).toList());
        float alpha = signals.phases().get(1).extra("llu.alpha", 0).orElseThrow()[0];
        assertTrue(alpha > 0 && alpha <= 0.5 + 1e-6, "α = β · a kernel value in (0, 1]: " + alpha);
    }

    @Test
    void aRunCancelledMidEpochResumesToTheSameHeadAsAnUninterruptedOne() throws Exception {
        LluHead straight = (LluHead) llu.adapt(new RunContext(DATA, resumeSettings(), 5, new RunStore(temp.resolve("a")),
                event -> { }, new Cancellation()));

        Cancellation cancellation = new Cancellation();
        RunStore store = new RunStore(temp.resolve("b"));
        // Cancel during epoch 13, at its first step's event: that batch ran, the epoch's checkpoint was never written.
        assertThrows(CancellationException.class, () -> llu.adapt(new RunContext(DATA, resumeSettings(), 5, store,
                event -> {
                    if (event.phase().equals("fit") && event.epoch() == 13) {
                        cancellation.cancel();
                    }
                }, cancellation)));
        assertEquals(12, store.checkpoint("fit").orElseThrow().epochsDone());
        LluHead resumed = (LluHead) llu.adapt(new RunContext(DATA, resumeSettings(), 5, store, event -> { },
                new Cancellation()));
        Heads.assertSameHead(straight, resumed);
    }

    @Test
    void aRunStoppedAtAPhaseBoundaryDoesNotRedoTheFinishedPhases() throws Exception {
        LluHead straight = (LluHead) llu.adapt(new RunContext(DATA, resumeSettings(), 9, new RunStore(temp.resolve("a")),
                event -> { }, new Cancellation()));
        Cancellation cancellation = new Cancellation();
        RunStore store = new RunStore(temp.resolve("b"));
        assertThrows(CancellationException.class, () -> llu.adapt(new RunContext(DATA, resumeSettings(), 9, store,
                event -> {
                    if (event.phase().equals("anchors")) {
                        cancellation.cancel();
                    }
                }, cancellation)));
        assertTrue(store.checkpoint("labels").orElseThrow().complete());
        List<String> phases = new ArrayList<>();
        LluHead resumed = (LluHead) llu.adapt(new RunContext(DATA, resumeSettings(), 9, store,
                event -> phases.add(event.phase() + ":" + event.message()), new Cancellation()));
        assertTrue(phases.get(0).startsWith("labels:labels: already done"), phases.toString());
        Heads.assertSameHead(straight, resumed);
    }

    @Test
    void aWeightedRegulariserIsReportedAtEveryStep() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        llu.adapt(new RunContext(DATA, resumeSettings(), 3, new RunStore(temp.resolve("run")), events::add,
                new Cancellation()));
        List<ProgressEvent> steps = events.stream().filter(e -> e.phase().equals("fit") && e.steps() > 0).toList();
        assertTrue(steps.size() > 30, "several steps per epoch: " + steps.size());
        for (ProgressEvent step : steps) {
            double crossEntropy = step.losses().get("cross-entropy");
            double regulariser = step.losses().get("regulariser");
            assertEquals(crossEntropy + regulariser, step.losses().get("total"), 1e-6, "λ = 1");
        }
    }

    @Test
    void withShotsItTrainsOnTheShots() throws Exception {
        AdaptationData withShots = new AdaptationData(DATA.classes(), DATA.target(), DATA.classWeights(),
                DATA.logitScale(), DATA.test().orElseThrow().subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7}), DATA.test());
        TrainingExamples set = TrainingExamples.of(withShots, org.clipwb.core.adapt.label.PseudoLabels.select(
                new CosineHead(DATA.classWeights(), 100f).probabilities(DATA.target().embeddings()),
                org.clipwb.core.adapt.label.Selection.TOP_K_PER_CLASS, 5), "shots");
        assertEquals(8, set.labels().length);
        assertEquals(8, set.shots());
        assertArrayEquals(withShots.shots().labels(), set.labels());
    }

    private static double accuracy(ClassifierHead head) {
        float[][] probabilities = head.probabilities(DATA.test().orElseThrow().embeddings());
        int[] labels = DATA.test().orElseThrow().labels();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += org.clipwb.core.adapt.label.PseudoLabels.best(probabilities[i]).label() == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }
}
