package org.clipwb.core.adapt.latte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.clipwb.core.adapt.coft.CoftFixture;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.testing.Heads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LatteCLIP through the engine on the tiny random CLIP and CoFT's colour-square images, with the offline caption
 * bank writing the descriptions: it trains end to end, records its descriptions and mixer weights, a run stopped in
 * the middle of an epoch resumes to the uninterrupted run's results, and an export reproduces its predictions.
 */
class LatteRunTest {
    /** Captions for the offline describer, some about the fixture's colours. */
    private static final List<String> BANK = List.of("a red square.", "a green field.", "a blue picture.",
            "a yellow square on yellow.", "a bright square.", "noise.");

    @TempDir
    static Path folders;

    private static Clip clip;
    private static AdaptationData data;
    private static Result straight;
    /** The uninterrupted run's progress events. */
    private static final List<ProgressEvent> EVENTS = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        clip = CoftFixture.loadClip();
        CoftFixture.writeImages(folders.resolve("target"), 5, 1);
        CoftFixture.writeImages(folders.resolve("test"), 2, 2);
        data = CoftFixture.data(clip, folders.resolve("target"), folders.resolve("test"), LabeledSet.empty());
        straight = run(folders.resolve("straight"), EVENTS::add, new Cancellation());
        // What AdaptationRunner writes after a run: the classifier that RunExport copies.
        HeadFiles.save(straight.head(), CoftFixture.CLASSES, folders.resolve("straight").resolve("run")
                .resolve("classifier"));
    }

    @AfterAll
    static void tearDown() {
        clip.close();
    }

    /** 20 target images in batches of 8: two steps an epoch (the last, partial batch is dropped, §3.7 Q10). */
    private static Settings settings(String... more) {
        List<String> small = new ArrayList<>(List.of("train.epochs=2", "train.batch-size=8", "train.lr=1e-4",
                "train.warmup-steps=1"));
        small.addAll(List.of(more));
        return new LatteClip().info().defaults().withAssignments(small);
    }

    private record Result(ClassifierHead head, float[][] target, float[][] test, RunContext context) {
    }

    private static Result run(Path directory, ProgressListener listener, Cancellation cancellation,
            String... settings) throws Exception {
        LatteInputs inputs = LatteInputs.offline(data, key -> folders.resolve("target").resolve(key), "tiny", clip,
                BANK, directory.resolve("descriptions"));
        RunContext context = new RunContext(data, settings(settings), 5, new RunStore(directory.resolve("run")),
                listener, cancellation);
        ClassifierHead head = new LatteClip(inputs).adapt(context);
        var embeddings = context.adaptedEmbeddings().orElseThrow();
        return new Result(head, embeddings.target(), embeddings.test().orElseThrow(), context);
    }

    @Test
    void trainsTheImageEncoderAndClassifiesWithTheNormalisedPrototypes() throws Exception {
        ClassifierHead head = straight.head();
        assertEquals("cosine", head.kind());
        assertEquals(100, head.scalars().get("scale"), 0);
        float[] prototypes = head.tensors().values().iterator().next().values();
        for (int c = 0; c < CoftFixture.CLASSES.size(); c++) {
            double norm = 0;
            for (int d = 0; d < clip.embedDim(); d++) {
                norm += Math.pow(prototypes[c * clip.embedDim() + d], 2);
            }
            assertEquals(1, norm, 1e-4, "prototype " + c + " is normalised");
        }
        assertFalse(java.util.Arrays.equals(data.target().embeddings()[0], straight.target()[0]),
                "the target is embedded with the fine-tuned encoder");
        Path run = folders.resolve("straight").resolve("run");
        Map<String, ClassifierHead.Tensor> encoder = AdaptedEncoder.load(run).orElseThrow();
        assertEquals(clip.model().namedParameters().keySet().stream().filter(k -> k.startsWith("visual.")).count(),
                encoder.size(), "every weight of the image tower is fine-tuned and nothing else");
        assertTrue(straight.context().notes().stream().anyMatch(note -> note.startsWith(
                "image and group descriptions: offline caption bank (6 captions")), straight.context().notes()
                .toString());
    }

    @Test
    void recordsEachImagesDescriptionsAndMixerWeights() throws Exception {
        Path run = folders.resolve("straight").resolve("run");
        List<PhaseSignals> phases = new RunSignals(run).phases();
        assertEquals(List.of("labels", "train"), phases.stream().map(PhaseSignals::phase).toList());
        PhaseSignals train = phases.get(1);
        int n = data.target().size();
        for (String signal : TrainPhase.MIXER_SIGNALS) {
            for (int i = 0; i < n; i++) {
                float weight = train.extra(signal, i).orElseThrow()[0];
                // A margin between two cosines, plus 1e-6: in (0, 2].
                assertTrue(weight > 0 && weight <= 2, signal + " of image " + i + ": " + weight);
            }
        }
        Map<Integer, LatteClip.ImageTexts> texts = LatteClip.descriptions(new RunStore(run));
        assertEquals(n, texts.size(), "every image is described by default");
        texts.values().forEach(image -> {
            assertTrue(BANK.contains(image.description()), image.description());
            assertTrue(BANK.contains(image.groupDescription()), image.groupDescription());
            assertEquals(4, image.group().length);
            assertTrue(image.provider().startsWith("offline caption bank"), image.provider());
        });
    }

    @Test
    void reportsEachLossTermTheLearningRateAndTimeLeft() {
        List<ProgressEvent> steps = EVENTS.stream().filter(e -> e.phase().equals(TrainPhase.ID)
                && e.message().contains("step")).toList();
        assertEquals(4, steps.size(), "2 epochs of 2 steps");
        for (ProgressEvent step : steps) {
            assertEquals(java.util.Set.of("clip_ft", "clip_zs", "total"), step.losses().keySet());
            assertEquals(step.losses().get("clip_ft") + step.losses().get("clip_zs"), step.losses().get("total"),
                    1e-9);
            assertTrue(step.learningRate() > 0 && step.learningRate() <= 1e-4, "lr " + step.learningRate());
            assertTrue(step.eta().isPresent());
        }
        assertEquals(1e-4, steps.get(0).learningRate(), 1e-12, "one linear warm-up step reaches the base rate");
    }

    @Test
    void aRunStoppedInTheMiddleOfAnEpochResumesAsAnUninterruptedRun() throws Exception {
        Path directory = folders.resolve("stopped");
        Cancellation cancellation = new Cancellation();
        AtomicInteger steps = new AtomicInteger();
        assertThrows(CancellationException.class, () -> run(directory, event -> {
            // Stop after the first step of epoch 2: the encoder, AdamW and the bank have moved past the saved epoch.
            if (event.phase().equals(TrainPhase.ID) && event.epoch() == 2 && event.message().contains("step")
                    && steps.incrementAndGet() == 1) {
                cancellation.cancel();
            }
        }, cancellation));
        assertEquals(1, new RunStore(directory.resolve("run")).checkpoint(TrainPhase.ID).orElseThrow().epochsDone());
        Result resumed = run(directory, event -> { }, new Cancellation());
        Heads.assertSameHead(straight.head(), resumed.head());
        for (int i = 0; i < straight.target().length; i++) {
            assertArrayEquals(straight.target()[i], resumed.target()[i], Heads.RESUME_TOLERANCE, "target " + i);
        }
        for (int i = 0; i < straight.test().length; i++) {
            assertArrayEquals(straight.test()[i], resumed.test()[i], Heads.RESUME_TOLERANCE, "test " + i);
        }
    }

    @Test
    void anExportedRunClassifiesWithItsFineTunedEncoderAndPrototypes() throws Exception {
        Path exported = folders.resolve("exported");
        RunExport.export(clip, folders.resolve("straight").resolve("run"), exported);
        try (Clip adapted = Clip.load(exported, "exported", Device.cpu())) {
            EmbeddedFolder target = EmbeddedFolder.embed(ImageFolder.scan(folders.resolve("target")),
                    new ImageEmbedder(adapted, null, 16, 1), (done, total) -> { });
            for (int i = 0; i < straight.target().length; i++) {
                assertArrayEquals(straight.target()[i], target.embeddings()[i], 1e-5f, "embedding " + i);
            }
            assertArrayEquals(AdaptationRunner.predictions(straight.head().probabilities(straight.target())),
                    AdaptationRunner.predictions(HeadFiles.load(RunExport.classifierOf(exported)).head()
                            .probabilities(target.embeddings())), "the export reproduces the run's predictions");
        }
    }

    @Test
    void theReleasedCodesMixingNeedsBatchesAsWideAsTheEmbedding() throws Exception {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> run(
                folders.resolve("quirk"), event -> { }, new Cancellation(), "latte.replicate-broadcast-quirk=true"));
        assertTrue(error.getMessage().contains("needs train.batch-size equal to the embedding width 64, got 8"),
                error.getMessage());
        assertTrue(new RunStore(folders.resolve("quirk").resolve("run")).checkpoint("labels").isEmpty(),
                "refused before any phase ran");
    }

    @Test
    void decaysMatricesButNotNormsBiasesOrTheLogitScale() {
        assertTrue(TrainPhase.decays("visual.transformer.resblocks.0.attn.in_proj_weight", new Shape(96, 32)));
        assertTrue(TrainPhase.decays("visual.proj", new Shape(32, 64)));
        assertTrue(TrainPhase.decays("visual.positional_embedding", new Shape(5, 32)));
        assertFalse(TrainPhase.decays("visual.class_embedding", new Shape(32)));
        assertFalse(TrainPhase.decays("visual.transformer.resblocks.0.ln_1.weight", new Shape(32)));
        assertFalse(TrainPhase.decays("visual.transformer.resblocks.0.attn.in_proj_bias", new Shape(96)));
        assertFalse(TrainPhase.decays("logit_scale", new Shape(1)));
        assertFalse(TrainPhase.decays("visual.ln_post.weight", new Shape(2, 2)), "by name, whatever the shape");
    }
}
