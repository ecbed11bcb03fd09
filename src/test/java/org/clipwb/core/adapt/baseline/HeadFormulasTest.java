package org.clipwb.core.adapt.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.head.ClipAdapterHead;
import org.clipwb.core.adapt.head.TipAdapterHead;
import org.clipwb.core.zeroshot.ClassList;
import org.junit.jupiter.api.Test;

/** The baselines' formulas on small inputs worked out by hand. */
class HeadFormulasTest {
    @Test
    void tipAdapterAddsTheWeightedCacheAffinitiesToTheZeroShotLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // x = (0.6, 0.8); keys (1, 0) of class 0 and (0, 1) of class 1; W = I, s = 10, α = 3, β = 2.
            // Affinities 0.6 and 0.8; cache logits exp(−2·0.4) = e^−0.8 and exp(−2·0.2) = e^−0.4.
            // Logits: 10·(0.6, 0.8) + 3·(e^−0.8, e^−0.4) = (7.3479868923…, 10.0109601381…).
            NDArray identity = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            float[] logits = TipAdapterHead.logits(manager.create(new float[] {0.6f, 0.8f}, new Shape(1, 2)), identity,
                    identity, identity, 3, 2, 10).toFloatArray();
            assertArrayEquals(new float[] {7.3479869f, 10.0109601f}, logits, 1e-5f);
        }
    }

    @Test
    void clipAdapterMixesTheAdapterOutputIntoTheEmbeddingWithTheResidualRatio() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // down = (1, −1), up = (2, 0.5)ᵀ, ratio 0.2.
            // f = (3, 1): down·f = 2, ReLU 2, up·2 = (4, 1), ReLU (4, 1); f' = 0.2·(4, 1) + 0.8·(3, 1) = (3.2, 1).
            // f = (1, 3): down·f = −2, ReLU 0, so the adapter gives 0 and f' = 0.8·(1, 3) = (0.8, 2.4).
            NDArray down = manager.create(new float[] {1, -1}, new Shape(1, 2));
            NDArray up = manager.create(new float[] {2, 0.5f}, new Shape(2, 1));
            NDArray features = manager.create(new float[] {3, 1, 1, 3}, new Shape(2, 2));
            assertArrayEquals(new float[] {3.2f, 1, 0.8f, 2.4f},
                    ClipAdapterHead.adapt(features, down, up, 0.2).toFloatArray(), 1e-6f);
            // Logits with W = I and s = 10: 10·(3.2, 1)/√11.24 = (9.5447997…, 2.9827499…).
            NDArray identity = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            assertArrayEquals(new float[] {9.5447998f, 2.9827499f},
                    ClipAdapterHead.logits(features.get("0:1"), down, up, 0.2, identity, 10).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void clipAdapterInitialisationIsPyTorchsLinearDefaultAndSeeded() {
        float[] drawn = ClipAdapter.kaimingUniform(new SplittableRandom(3), 10_000, 16);
        for (float value : drawn) {
            assertTrue(Math.abs(value) <= 0.25f, "within ±1/√16: " + value);
        }
        double mean = 0;
        for (float value : drawn) {
            mean += value * value / drawn.length;
        }
        assertEquals(0.25 * 0.25 / 3, mean, 1e-3, "the variance of U(−¼, ¼)");
        assertArrayEquals(drawn, ClipAdapter.kaimingUniform(new SplittableRandom(3), 10_000, 16));
    }

    @Test
    void tipAdapterSearchClassifiesEachShotByTheCacheOfTheOthers() {
        // Classes with W = I and s = 1; shots s1 = (0.6, 0.8) and s2 = (0.8, 0.6) of class 0, s3 = (0, 1) of class 1.
        // Zero-shot gets s1 wrong. Leave-one-out cache logits:
        //   s1: (exp(−0.04β), exp(−0.2β)), right iff α (e^−0.04β − e^−0.2β) > 0.2;
        //   s2: always right;
        //   s3: (exp(−0.2β) + exp(−0.4β), 0), right iff α (e^−0.2β + e^−0.4β) < 1.
        // β = 1: α = 0.5 gets s2, s3; α = 1 gets s2; α = 2 gets s1, s2.
        // β = 5: α = 0.5 (0.5·0.4509 > 0.2, 0.5·0.5032 < 1) gets all three; α = 1 too; α = 2 misses s3.
        // So the first best is α = 0.5, β = 5. (With each shot in its own cache, β = 1, α = 0.5 would already get
        // all three, by the +α each shot's own key adds to its own class.)
        LabeledSet shots = new LabeledSet(List.of("s1", "s2", "s3"),
                new float[][] {{0.6f, 0.8f}, {0.8f, 0.6f}, {0, 1}}, new int[] {0, 0, 1});
        AdaptationData data = new AdaptationData(ClassList.parse("a\nb"), shots, new float[][] {{1, 0}, {0, 1}}, 1f,
                shots, Optional.empty());
        TipAdapter.Search search = TipAdapter.search(shots, data, new double[] {0.5, 1, 2}, new double[] {1, 5});
        assertEquals(new TipAdapter.Kernel(0.5, 5), search.best());
        assertEquals(1.0, search.accuracy());
    }

    @Test
    void tipAdapterSearchGridIsTheReleasedOne() {
        // β_i = i·(S_β − 0.1)/steps + 0.1: for S = 7 and 200 steps, 0.1, 0.1345, … up to 6.9655.
        double[] betas = TipAdapter.grid(7, 200);
        assertEquals(200, betas.length);
        assertEquals(0.1, betas[0], 1e-12);
        assertEquals(0.1 + 6.9 / 200, betas[1], 1e-12);
        assertEquals(0.1 + 199 * 6.9 / 200, betas[199], 1e-12);
    }
}
