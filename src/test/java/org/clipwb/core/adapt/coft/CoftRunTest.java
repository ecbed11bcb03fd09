package org.clipwb.core.adapt.coft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.AdaptedEncoder;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunExport;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.describe.Described;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.testing.Heads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoFT and CoFT+ through the engine on the tiny random CLIP: they run end to end, record their signals, and a run
 * stopped in the middle of an epoch or at a phase boundary resumes to bit-identical results (MKL_CBWR=AUTO,STRICT,
 * which the test runner sets, and restored weights written into their own storage, see TrainableWeights.assign).
 */
class CoftRunTest {
    @TempDir
    static Path folders;

    private static Clip clip;
    private static AdaptationData data;
    private static Result straightCoft;
    private static Result straightPlus;

    @BeforeAll
    static void setUp() throws Exception {
        clip = CoftFixture.loadClip();
        CoftFixture.writeImages(folders.resolve("target"), 5, 1);
        CoftFixture.writeImages(folders.resolve("test"), 2, 2);
        data = CoftFixture.data(clip, folders.resolve("target"), folders.resolve("test"), LabeledSet.empty())
                .withDescriptions(names -> {
                    Map<String, List<String>> texts = new LinkedHashMap<>();
                    names.forEach(name -> texts.put(name, List.of("a " + name + " square.", "something " + name + ".")));
                    return new Described<>("test sentences", texts);
                });
        straightCoft = run(Coft.coft(), folders.resolve("coft"), event -> { }, new Cancellation());
        // What AdaptationRunner writes after a run: the classifier that RunExport copies.
        HeadFiles.save(straightCoft.head(), CoftFixture.CLASSES, folders.resolve("coft").resolve("classifier"));
        straightPlus = run(Coft.coftPlus(), folders.resolve("coft+"), event -> { }, new Cancellation());
    }

    @AfterAll
    static void tearDown() {
        clip.close();
    }

    private static Settings settings(Coft method) {
        List<String> small = new ArrayList<>(List.of("labels.k=3", "phase1.epochs=2", "phase1.batch-size=4",
                "phase1.context-tokens=4", "phase1.vpt-tokens=2", "phase2.epochs=2", "phase2.batch-size=8"));
        if (method.info().id().equals("coft+")) {
            // CoFT's default is the adapter on cached features: CoFT+ here keeps deep visual prompts covered.
            small.addAll(List.of("moco.queue=12", "moco.dim=16", "phase1.visual-module=vpt"));
        }
        return method.info().defaults().withAssignments(small);
    }

    /** What a run produced: the classifier's tensors, the adapted embeddings, the context. */
    private record Result(ClassifierHead head, float[][] target, float[][] test, RunContext context) {
    }

    private static Result run(Coft method, Path directory, ProgressListener listener, Cancellation cancellation)
            throws Exception {
        RunContext context = new RunContext(data, settings(method), 7, new RunStore(directory), listener,
                cancellation);
        ClassifierHead head = method.adapt(context);
        var embeddings = context.adaptedEmbeddings().orElseThrow();
        return new Result(head, embeddings.target(), embeddings.test().orElseThrow(), context);
    }

    private static void assertSame(Result expected, Result actual) {
        Heads.assertIdenticalRuns(expected.head(), new float[][][] {expected.target(), expected.test()}, actual.head(),
                new float[][][] {actual.target(), actual.test()});
    }

    @Test
    void coftRecordsEveryPhasesSignalsAndItsFineTunedEncoder() throws Exception {
        Path run = folders.resolve("coft");
        List<PhaseSignals> phases = new RunSignals(run).phases();
        assertEquals(List.of("labels", "filter", "finetune"), phases.stream().map(PhaseSignals::phase).toList());
        PhaseSignals filter = phases.get(1);
        int n = data.target().size();
        assertEquals(n, filter.size());
        for (String name : List.of("coft.s_pos_a", "coft.s_neg_a", "coft.s_pos_b", "coft.s_neg_b")) {
            assertEquals(4, filter.extra(name, 0).orElseThrow().length, name + " has a score per class");
        }
        for (int i = 0; i < n; i++) {
            float generator = filter.extra("coft.generator", i).orElseThrow()[0];
            float validator = filter.extra("coft.validator", i).orElseThrow()[0];
            float pClean = filter.extra("coft.p_clean", i).orElseThrow()[0];
            assertEquals(filter.kept()[i], generator >= 0, "a kept label has a generator");
            if (filter.kept()[i]) {
                assertEquals(1, generator + validator, 0, "the other model validated it");
                assertTrue(pClean > 0.5f, "kept labels passed S⁺ > S⁻: " + pClean);
                float[] sPos = filter.extra(validator == 0 ? "coft.s_pos_a" : "coft.s_pos_b", i).orElseThrow();
                float[] sNeg = filter.extra(validator == 0 ? "coft.s_neg_a" : "coft.s_neg_b", i).orElseThrow();
                int label = filter.predicted()[i];
                assertEquals(1 / (1 + Math.exp(sNeg[label] - sPos[label])), pClean, 1e-5);
            }
        }
        RunContext context = straightCoft.context();
        assertEquals(filter.keptCount(), context.metrics().get("coft.retained"), 0);
        assertTrue(Files.isRegularFile(run.resolve(AdaptedEncoder.FILE)));
        Map<String, ClassifierHead.Tensor> encoder = AdaptedEncoder.load(run).orElseThrow();
        assertTrue(encoder.keySet().stream().allMatch(name -> name.startsWith("visual.")), encoder.keySet().toString());
        assertEquals(clip.model().namedParameters().keySet().stream().filter(k -> k.startsWith("visual.")).count(),
                encoder.size(), "every weight of the image tower is fine-tuned");
    }

    @Test
    void anExportedRunClassifiesWithItsFineTunedEncoder() throws Exception {
        Path run = folders.resolve("coft");
        ClassifierHead head = straightCoft.head();
        Path exported = folders.resolve("exported");
        RunExport.export(clip, run, exported);
        try (Clip adapted = Clip.load(exported, "exported", ai.djl.Device.cpu())) {
            ImageEmbedder embedder = new ImageEmbedder(adapted, null, 16, 1);
            EmbeddedFolder target = EmbeddedFolder.embed(ImageFolder.scan(folders.resolve("target")), embedder,
                    (done, total) -> { });
            float[][] expected = straightCoft.target();
            for (int i = 0; i < expected.length; i++) {
                // A fresh load computes with weights in new storage: equal to the last bits of float32.
                assertArrayEquals(expected[i], target.embeddings()[i], 1e-5f, "embedding " + i);
            }
            assertArrayEquals(AdaptationRunner.predictions(head.probabilities(expected)),
                    AdaptationRunner.predictions(HeadFiles.load(RunExport.classifierOf(exported)).head()
                            .probabilities(target.embeddings())), "the export reproduces the run's predictions");
            assertTrue(Math.abs(adapted.model().namedParameters().get("visual.proj").getArray().sub(
                    clip.model().namedParameters().get("visual.proj").getArray()).sum().getFloat()) > 0,
                    "the exported model carries the fine-tuned encoder, not the original");
        }
    }

    @Test
    void coftPlusRunsRoundsWithDescriptionsAndMomentumContrast() throws Exception {
        List<String> phases = new RunSignals(folders.resolve("coft+")).phases().stream().map(PhaseSignals::phase)
                .toList();
        assertEquals(List.of("labels", "relabel-round1", "filter", "finetune"), phases);
        RunStore store = new RunStore(folders.resolve("coft+"));
        assertEquals("test sentences", store.checkpoint("descriptions").orElseThrow().value("provider").orElseThrow());
        assertTrue(straightPlus.context().notes().contains("class descriptions: test sentences"));
        assertTrue(store.checkpoint("phase1-round2").orElseThrow().complete());
    }

    @Test
    void aRunStoppedInThePhaseOneEpochResumesBitForBit() throws Exception {
        RunStore store = new RunStore(folders.resolve("phase1-stop"));
        Cancellation cancellation = new Cancellation();
        AtomicInteger steps = new AtomicInteger();
        assertThrows(CancellationException.class, () -> run(Coft.coft(), store.directory(), event -> {
            // Stop after the second step of epoch 2: model A has taken a step past the saved epoch.
            if (event.phase().equals("phase1") && event.epoch() == 2 && event.message().contains("step")
                    && steps.incrementAndGet() == 2) {
                cancellation.cancel();
            }
        }, cancellation));
        assertEquals(1, store.checkpoint("phase1").orElseThrow().epochsDone());
        assertSame(straightCoft, run(Coft.coft(), store.directory(), event -> { }, new Cancellation()));
    }

    @Test
    void aRunStoppedAtAPhaseBoundaryResumesBitForBitWithoutRedoingFinishedPhases() throws Exception {
        RunStore store = new RunStore(folders.resolve("boundary-stop"));
        Cancellation cancellation = new Cancellation();
        assertThrows(CancellationException.class, () -> run(Coft.coft(), store.directory(), event -> {
            if (event.phase().equals("filter")) {
                cancellation.cancel();
            }
        }, cancellation));
        assertTrue(store.checkpoint("phase1").orElseThrow().complete());
        List<String> messages = new ArrayList<>();
        Result resumed = run(Coft.coft(), store.directory(), event -> messages.add(event.phase() + ": "
                + event.message()), new Cancellation());
        assertTrue(messages.contains("phase1: phase1: already done, resumed from its checkpoint"), messages.toString());
        assertSame(straightCoft, resumed);
    }

    @Test
    void aCoftPlusRunStoppedInAFineTuningEpochResumesBitForBit() throws Exception {
        RunStore store = new RunStore(folders.resolve("finetune-stop"));
        Cancellation cancellation = new Cancellation();
        assertThrows(CancellationException.class, () -> run(Coft.coftPlus(), store.directory(), event -> {
            if (event.phase().equals("finetune") && event.epoch() == 2 && event.message().contains("step")) {
                cancellation.cancel(); // the queue and the key encoder have moved past the saved epoch
            }
        }, cancellation));
        assertEquals(1, store.checkpoint("finetune").orElseThrow().epochsDone());
        assertSame(straightPlus, run(Coft.coftPlus(), store.directory(), event -> { }, new Cancellation()));
    }
}
