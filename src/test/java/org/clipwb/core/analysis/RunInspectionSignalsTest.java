package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoFT's verdicts and LatteCLIP's texts and mixer weights, read from signals and checkpoints written in the formats
 * CoFT's Phase II and LatteCLIP's descriptions phase write today, for a run that has not finished (no predictions in
 * the catalog: its images are matched by position).
 */
class RunInspectionSignalsTest {
    @TempDir
    Path project;

    private static final List<String> KEYS = List.of("a.png", "b.png", "c.png");

    private static ImageSet images() {
        float[][] embeddings = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
        float[][] probabilities = {{0.7f, 0.3f}, {0.2f, 0.8f}, {0.5f, 0.5f}};
        return new ImageSet(KEYS, KEYS.stream().map(Path::of).toList(), embeddings, List.of("cat", "dog"),
                probabilities, new int[] {0, 1, -1});
    }

    @Test
    void readsCoftsPromptSimilaritiesAndLatteClipsTextsAndMixerWeights() throws Exception {
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            RunRecord run = catalog.createRun("coft", 1, Map.of(), Map.of());
            Path directory = catalog.runDirectory(run.id());
            RunSignals signals = new RunSignals(directory);
            signals.save(new PhaseSignals("labels", 0, new int[] {0, 1, 1}, new float[] {0.7f, 0.8f, 0.5f},
                    new boolean[] {true, false, true}, Map.of()));
            Map<String, Tensor> extras = new LinkedHashMap<>();
            extras.put("coft.s_pos_a", Tensor.of(new float[][] {{2, 0}, {0, 1}, {1, 1}}));
            extras.put("coft.s_neg_a", Tensor.of(new float[][] {{1, 0}, {0, 2}, {1, 1}}));
            extras.put("coft.s_pos_b", Tensor.of(new float[][] {{3, 0}, {0, 0}, {0, 0}}));
            extras.put("coft.s_neg_b", Tensor.of(new float[][] {{0, 0}, {0, 0}, {0, 0}}));
            extras.put("coft.p_clean", Tensor.of(new float[] {0.95f, 0.27f, 0.5f}));
            extras.put("coft.generator", Tensor.of(new float[] {0, -1, -1}));
            extras.put("coft.validator", Tensor.of(new float[] {1, -1, -1}));
            extras.put(RunInspection.LATTE_MIXER, Tensor.of(new float[][] {{0.1f, 0.2f, 0.3f, 0.4f}, {0, 0, 0, 0},
                    {1, 1, 1, 1}}));
            signals.save(new PhaseSignals("phase2", 1, new int[] {0, 1, 1}, new float[] {0.95f, 0.27f, 0.5f},
                    new boolean[] {true, false, false}, extras));
            RunStore store = new RunStore(directory);
            store.save("labels", Checkpoint.after(0).tensor("selected", Tensor.of(new float[] {0, 2})).complete());
            store.save("descriptions", Checkpoint.after(0).value("provider", "offline")
                    .tensor("groups", Tensor.of(new float[][] {{0, 2}, {2, 0}}))
                    .value("image.0", "a grey cat on a sofa").value("group.0", "cats indoors")
                    .value("image.1", "a blurred animal").value("group.1", "pets").complete());

            RunInspection inspection = RunInspection.load(catalog, run, images());
            assertTrue(inspection.covers(1), "an unfinished run's images are matched by position");

            RunInspection.CoftVerdict kept = inspection.coft(0).orElseThrow();
            assertEquals("phase2", kept.phase());
            assertArrayEquals(new float[] {2, 0}, kept.positiveA());
            assertEquals(0.95f, kept.cleanProbability());
            assertEquals(1 / (1 + Math.exp(-1)), kept.cleanProbability(0, 0), 1e-9, "σ(S⁺ − S⁻) of model A");
            assertEquals(1 / (1 + Math.exp(-3)), kept.cleanProbability(1, 0), 1e-9, "σ(S⁺ − S⁻) of model B");
            assertEquals(0, kept.generator());
            assertEquals(1, kept.validator());
            assertTrue(kept.kept());
            assertFalse(inspection.coft(1).orElseThrow().kept());
            assertEquals(-1, inspection.coft(1).get().generator());
            assertArrayEquals(new float[] {0.95f, 0.27f, 0.5f}, inspection.cleanProbabilities(3).orElseThrow());
            assertTrue(inspection.alphas(3).isEmpty(), "no LLU mask in a CoFT run");

            RunInspection.LatteTexts first = inspection.latte(0).orElseThrow();
            assertEquals("a grey cat on a sofa", first.imageDescription().orElseThrow());
            assertEquals("cats indoors", first.groupDescription().orElseThrow());
            assertArrayEquals(new int[] {0, 2}, first.groupImages());
            assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, first.mixerWeights().orElseThrow());
            assertEquals("a blurred animal", inspection.latte(2).orElseThrow().imageDescription().orElseThrow());
            RunInspection.LatteTexts notDescribed = inspection.latte(1).orElseThrow();
            assertTrue(notDescribed.imageDescription().isEmpty(), "image 1 was not a training image");
            assertTrue(notDescribed.mixerWeights().isPresent());
            assertEquals(List.of("labels", "phase2"), inspection.history(2).stream().map(RunInspection.Step::phase)
                    .toList());
        }
    }
}
