package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.SyntheticData;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.adapt.head.LluHead;
import org.clipwb.core.adapt.llu.Llu;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real LLU run on synthetic embeddings, inspected image by image. */
class RunInspectionTest {
    @TempDir
    static Path project;

    private static AdaptationData data;
    private static RunRecord run;

    @BeforeAll
    static void runLlu() throws Exception {
        AdaptationData synthetic = SyntheticData.create(3, 16, 12, 0.5, 0.35, 21);
        LabeledSet target = synthetic.target();
        // Keys in sorted order, as a run's images always are (an image folder is sorted by relative path).
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            keys.add(String.format("img-%03d.png", i));
        }
        data = new AdaptationData(synthetic.classes(), new LabeledSet(keys, target.embeddings(), target.labels()),
                synthetic.classWeights(), synthetic.logitScale(), LabeledSet.empty(), Optional.empty());
        Llu llu = new Llu();
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            RunRecord created = catalog.createRun("llu", 5, llu.info().defaults().withAssignments(
                    List.of("train.epochs=5", "labels.k=6", "llu.anchors=8", "llu.lambda=0")).asText(), Map.of());
            run = AdaptationRunner.run(catalog, created, llu, data, event -> { }, new Cancellation(), Device.cpu())
                    .run();
        }
    }

    private static ImageSet shown(List<String> keys, float[][] embeddings, int[] labels) {
        return new ImageSet(keys, keys.stream().map(project::resolve).toList(), embeddings, data.classes().names(),
                new CosineHead(data.classWeights(), data.logitScale()).probabilities(embeddings), labels);
    }

    @Test
    void followsEachImageThroughThePhasesAndShowsLlusMaskWithItsAnchors() throws Exception {
        ImageSet images = shown(data.target().keys(), data.target().embeddings(), data.target().labels());
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            RunInspection inspection = RunInspection.load(catalog, run, images);
            List<PhaseSignals> phases = new RunSignals(catalog.runDirectory(run.id())).phases();
            assertEquals(List.of("labels", "fit"), phases.stream().map(PhaseSignals::phase).toList());
            int image = 7;
            List<RunInspection.Step> history = inspection.history(image);
            assertEquals(List.of("labels", "fit"), history.stream().map(RunInspection.Step::phase).toList());
            assertEquals(images.prediction(image).predicted(), history.get(0).label(), "phase 0 is zero-shot");
            assertEquals(phases.get(1).confidence()[image], history.get(1).confidence());

            RunInspection.LluMask mask = inspection.llu(image, images, 3, 4).orElseThrow();
            assertEquals(phases.get(1).extra(RunInspection.LLU_ALPHA, image).orElseThrow()[0], mask.alpha());
            assertTrue(mask.anchorCount() >= 3 && mask.anchorCount() <= 8, "anchors: " + mask.anchorCount());
            assertEquals(3, mask.strongest().size());
            // α(x) is the strongest anchor's pull, β · exp(−γ (1 − xᵀd)).
            assertEquals(mask.alpha(), mask.strongest().get(0).weight(), 1e-5);
            for (int k = 1; k < 3; k++) {
                assertTrue(mask.strongest().get(k).weight() <= mask.strongest().get(k - 1).weight());
            }
            RunInspection.AnchorPull first = mask.strongest().get(0);
            assertEquals(4, first.nearestImages().length);
            float[] anchor = ((LluHead) HeadFiles.load(
                    catalog.runDirectory(run.id()).resolve("classifier")).head()).imageAnchors()[first.anchor()];
            assertArrayEquals(bruteForceNearest(anchor, images.embeddings(), 4), first.nearestImages());

            assertTrue(inspection.coft(image).isEmpty(), "an LLU run has no CoFT verdict");
            assertTrue(inspection.latte(image).isEmpty(), "nor LatteCLIP texts");
            assertTrue(inspection.cleanProbabilities(images.size()).isEmpty());
            float[] alphas = inspection.alphas(images.size()).orElseThrow();
            assertEquals(mask.alpha(), alphas[image]);
        }
    }

    @Test
    void imagesTheRunDidNotSeeHaveNoHistory() throws Exception {
        List<String> keys = new ArrayList<>(data.target().keys());
        keys.add("zz-added-later.png");
        float[][] embeddings = Arrays.copyOf(data.target().embeddings(), keys.size());
        embeddings[keys.size() - 1] = data.target().embeddings()[0];
        int[] labels = Arrays.copyOf(data.target().labels(), keys.size());
        ImageSet images = shown(keys, embeddings, labels);
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            RunInspection inspection = RunInspection.load(catalog, run, images);
            int added = keys.size() - 1;
            assertFalse(inspection.covers(added));
            assertTrue(inspection.history(added).isEmpty());
            assertTrue(inspection.llu(added, images, 3, 4).isEmpty());
            assertTrue(Float.isNaN(inspection.alphas(images.size()).orElseThrow()[added]));
            assertTrue(inspection.covers(0));

            LabelHistory history = LabelHistory.load(catalog);
            List<LabelHistory.RunLabel> labelsOfFirst = history.of(keys.get(0));
            assertEquals(1, labelsOfFirst.size());
            assertEquals(run.id(), labelsOfFirst.get(0).run().id());
            assertEquals(inspection.history(0).get(1).label(), labelsOfFirst.get(0).label());
            assertTrue(history.of("zz-added-later.png").isEmpty());
        }
    }

    private static int[] bruteForceNearest(float[] query, float[][] points, int k) {
        Integer[] order = new Integer[points.length];
        double[] similarity = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            order[i] = i;
            for (int d = 0; d < query.length; d++) {
                similarity[i] += query[d] * points[i][d];
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(similarity[b], similarity[a]));
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }
}
