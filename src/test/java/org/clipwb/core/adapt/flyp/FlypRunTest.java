package org.clipwb.core.adapt.flyp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.AdaptedEncoder;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunExport;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.testing.Heads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FLYP through the engine on the tiny random CLIP and a small draw of fills-shifted: it fine-tunes both towers,
 * rebuilds its classifier with the fine-tuned text tower, resumes bit for bit from the middle of an epoch, and an
 * exported run reproduces its predictions with both towers.
 */
class FlypRunTest {
    @TempDir
    static Path folders;

    private static Clip clip;
    private static AdaptationData data;
    private static Result straight;

    @BeforeAll
    static void setUp() throws Exception {
        clip = FillsFixture.tinyClip();
        data = FillsFixture.data(clip, folders, 3);
        straight = run(folders.resolve("flyp"), event -> { }, new Cancellation());
        // What AdaptationRunner writes after a run: the classifier that RunExport copies.
        HeadFiles.save(straight.head(), data.classes().names(), folders.resolve("flyp").resolve("classifier"));
    }

    @AfterAll
    static void tearDown() {
        clip.close();
    }

    private record Result(ClassifierHead head, float[][] target, float[][] test) {
    }

    private static Result run(Path directory, ProgressListener listener, Cancellation cancellation) throws Exception {
        var method = AdaptationMethods.create("flyp");
        RunContext context = new RunContext(data, method.info().defaults().withAssignments(List.of("flyp.epochs=2",
                "flyp.batch-size=4", "flyp.lr=1e-3")), 5, new RunStore(directory), listener, cancellation);
        ClassifierHead head = method.adapt(context);
        var embeddings = context.adaptedEmbeddings().orElseThrow();
        return new Result(head, embeddings.target(), embeddings.test().orElseThrow());
    }

    private static void assertSame(Result expected, Result actual) {
        Heads.assertIdenticalRuns(expected.head(), new float[][][] {expected.target(), expected.test()}, actual.head(),
                new float[][][] {actual.target(), actual.test()});
    }

    @Test
    void bothTowersAreFineTunedAndTheClassifierIsRebuiltWithTheTextTower() throws Exception {
        Path run = folders.resolve("flyp");
        assertEquals(List.of("labels", "finetune"), new RunSignals(run).phases().stream().map(PhaseSignals::phase)
                .toList());
        Map<String, Tensor> tuned = AdaptedEncoder.load(run).orElseThrow();
        assertEquals(clip.model().namedParameters().keySet(), tuned.keySet(), "every weight is fine-tuned");
        for (String name : List.of("visual.proj", "text_projection", "token_embedding.weight")) {
            float[] original = clip.model().namedParameters().get(name).getArray().toFloatArray();
            assertTrue(!java.util.Arrays.equals(original, tuned.get(name).values()), name + " moved");
        }
        float[][] zeroShot = data.classWeights();
        float[][] rebuilt = ((org.clipwb.core.adapt.head.CosineHead) straight.head()).classWeights();
        assertTrue(!java.util.Arrays.equals(zeroShot[0], rebuilt[0]), "the classifier comes from the new text tower");
        assertEquals(data.target().size(), straight.target().length);
    }

    @Test
    void anExportedRunCarriesBothTowersAndReproducesItsPredictions() throws Exception {
        Path exported = folders.resolve("exported");
        RunExport.export(clip, folders.resolve("flyp"), exported);
        try (Clip adapted = Clip.load(exported, "exported", Device.cpu())) {
            ImageEmbedder embedder = new ImageEmbedder(adapted, null, 16, 1);
            EmbeddedFolder target = EmbeddedFolder.embed(ImageFolder.scan(folders.resolve("target").resolve("images")),
                    embedder, (done, total) -> { });
            for (int i = 0; i < straight.target().length; i++) {
                // A fresh load computes with weights in new storage: equal to the last bits of float32.
                assertArrayEquals(straight.target()[i], target.embeddings()[i], 1e-5f, "embedding " + i);
            }
            assertArrayEquals(AdaptationRunner.predictions(straight.head().probabilities(straight.target())),
                    AdaptationRunner.predictions(HeadFiles.load(RunExport.classifierOf(exported)).head()
                            .probabilities(target.embeddings())), "the export reproduces the run's predictions");
            // The exported text tower rebuilds the run's classifier from the templates.
            float[][] rebuilt = ZeroShotClassifier.build(data.classes(), data.templates().orElseThrow(), adapted,
                    adapted.logitScale()).classWeights();
            float[][] expected = ((org.clipwb.core.adapt.head.CosineHead) straight.head()).classWeights();
            for (int c = 0; c < expected.length; c++) {
                assertArrayEquals(expected[c], rebuilt[c], 1e-5f, "class " + c);
            }
        }
    }

    @Test
    void aRunStoppedInTheMiddleOfAnEpochResumesBitForBit() throws Exception {
        RunStore store = new RunStore(folders.resolve("stopped"));
        Cancellation cancellation = new Cancellation();
        AtomicInteger steps = new AtomicInteger();
        assertThrows(CancellationException.class, () -> run(store.directory(), (ProgressEvent event) -> {
            // Stop after the second step of epoch 2: the weights and AdamW's moments have moved past the saved epoch.
            if (event.phase().equals(Flyp.FINE_TUNE) && event.epoch() == 2 && event.message().contains("step")
                    && steps.incrementAndGet() == 2) {
                cancellation.cancel();
            }
        }, cancellation));
        assertEquals(1, store.checkpoint(Flyp.FINE_TUNE).orElseThrow().epochsDone());
        assertSame(straight, run(store.directory(), event -> { }, new Cancellation()));
    }
}
