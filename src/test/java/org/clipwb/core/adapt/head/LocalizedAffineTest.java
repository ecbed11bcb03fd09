package org.clipwb.core.adapt.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.testing.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LLU's mask and update (Eq. 4–5) on two- and three-dimensional unit vectors worked out by hand. */
class LocalizedAffineTest {
    private static final double TOLERANCE = 1e-6;
    private static final double S = Math.sqrt(0.5);

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray rows(float[]... rows) {
        return Tensor.of(rows).toArray(manager);
    }

    @Test
    void theKernelIsExpOfMinusGammaTimesTheCosineDistance2d() {
        NDArray images = rows(Vectors.unit(1, 0), Vectors.unit(1, 1));
        NDArray anchors = rows(Vectors.unit(1, 0), Vectors.unit(0, 1));
        // (1, 0) is anchor 0 itself and orthogonal to anchor 1; (s, s) has cosine s with both.
        Vectors.assertClose(new double[] {1, Math.exp(-2), Math.exp(-2 * (1 - S)), Math.exp(-2 * (1 - S))},
                LocalizedAffine.kernel(images, anchors, 2).toFloatArray(), TOLERANCE, "kernel");
        Vectors.assertClose(new double[] {0.5, 0.5 * Math.exp(-2 * (1 - S))},
                LocalizedAffine.alpha(images, anchors, 0.5, 2).toFloatArray(), TOLERANCE, "α = β · max");
        Vectors.assertClose(new double[] {0.5, 0.5}, LocalizedAffine.alpha(images, anchors, 0.5, 0).toFloatArray(),
                TOLERANCE, "γ = 0 gives the global α = β");
    }

    @Test
    void theMaskTakesTheNearestAnchor3d() {
        NDArray images = rows(new float[] {0, 0, 1}, new float[] {0.6f, 0.8f, 0});
        NDArray anchors = rows(new float[] {1, 0, 0}, new float[] {0, 0.6f, 0.8f});
        // Cosines: (0, 0.8) and (0.6, 0.48); kernel exp(−(1 − cos)) with γ = 1.
        Vectors.assertClose(new double[] {Math.exp(-1), Math.exp(-0.2), Math.exp(-0.4), Math.exp(-0.52)},
                LocalizedAffine.kernel(images, anchors, 1).toFloatArray(), TOLERANCE, "kernel");
        Vectors.assertClose(new double[] {0.25 * Math.exp(-0.2), 0.25 * Math.exp(-0.4)},
                LocalizedAffine.alpha(images, anchors, 0.25, 1).toFloatArray(), TOLERANCE, "α");
    }

    @Test
    void applyMixesTheAffineMapAndTheIdentityByAlpha() {
        NDArray images = rows(new float[] {1, 0}, new float[] {0, 1});
        // W as PyTorch's Linear stores it, [out, in]: W·(0, 1) = (2, 1), so a transposition error shows.
        NDArray weight = rows(new float[] {1, 2}, new float[] {0, 1});
        NDArray bias = manager.create(new float[] {0, 0.5f});
        NDArray alpha = manager.create(new float[] {0.5f, 0.25f});
        // (1, 0): W z + b = (1, 0.5), h = 0.5·(1, 0.5) + 0.5·(1, 0) = (1, 0.25).
        // (0, 1): W z + b = (2, 1.5), h = 0.25·(2, 1.5) + 0.75·(0, 1) = (0.5, 1.125).
        Vectors.assertClose(new double[] {1, 0.25, 0.5, 1.125},
                LocalizedAffine.apply(images, weight, bias, alpha, false).toFloatArray(), TOLERANCE, "h");
        double n1 = Math.sqrt(1 + 0.0625);
        double n2 = Math.sqrt(0.25 + 1.265625);
        Vectors.assertClose(new double[] {1 / n1, 0.25 / n1, 0.5 / n2, 1.125 / n2},
                LocalizedAffine.apply(images, weight, bias, alpha, true).toFloatArray(), TOLERANCE, "h renormalised");
    }

    @Test
    void alphaZeroLeavesTheEmbeddingAndAlphaOneAppliesTheMap() {
        NDArray images = rows(Vectors.unit(1, 2, 2));
        NDArray weight = rows(new float[] {0, 1, 0}, new float[] {0, 0, 1}, new float[] {1, 0, 0});
        NDArray bias = manager.create(new float[] {0.3f, 0, -0.3f});
        assertArrayEquals(images.toFloatArray(), LocalizedAffine.apply(images, weight, bias,
                manager.create(new float[] {0}), false).toFloatArray());
        // W (1, 2, 2)/3 = (2, 2, 1)/3, plus b.
        Vectors.assertClose(new double[] {2 / 3.0 + 0.3, 2 / 3.0, 1 / 3.0 - 0.3}, LocalizedAffine.apply(images,
                weight, bias, manager.create(new float[] {1}), false).toFloatArray(), TOLERANCE, "h = W z + b");
    }

    @Test
    void lluHeadScoresTheUpdatedImagesAgainstTheUpdatedTexts() {
        float[][] weight = {{1, 2}, {0, 1}};
        float[] bias = {0, 0.5f};
        float[][] texts = {Vectors.unit(1, 0), Vectors.unit(0, 1)};
        // γ = 0: α = β = 0.5 everywhere. (0, 1) ↦ 0.5·(2, 1.5) + 0.5·(0, 1) = (1, 1.25) and
        // (1, 0) ↦ 0.5·(1, 0.5) + 0.5·(1, 0) = (1, 0.25); logits = 10·h·tᵀ.
        LluHead global = new LluHead(weight, bias, new float[][] {{1, 0}}, texts, 0.5, 0, false, 10);
        NDArray images = rows(new float[] {0, 1}, new float[] {1, 0});
        Vectors.assertClose(new double[] {10, 12.5, 10, 2.5}, global.logits(images).toFloatArray(), TOLERANCE,
                "logits");
        double total = Math.exp(10) + Math.exp(12.5);
        Vectors.assertClose(new double[] {Math.exp(10) / total, Math.exp(12.5) / total},
                global.probabilities(new float[][] {{0, 1}})[0], TOLERANCE, "softmax");
        // γ = 2 with the one anchor (1, 0): (0, 1) is at distance 1, (1, 0) on it.
        LluHead local = new LluHead(weight, bias, new float[][] {{1, 0}}, texts, 0.5, 2, false, 10);
        Vectors.assertClose(new double[] {0.5 * Math.exp(-2), 0.5}, local.alpha(images).toFloatArray(), TOLERANCE,
                "α");
        Vectors.assertClose(new double[] {0.5 * Math.exp(-2), 0.5}, local.anchorWeights(images).toFloatArray(),
                TOLERANCE, "β · kernel per anchor");
    }
}
