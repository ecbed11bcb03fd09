package org.clipwb.core.adapt.coft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** CoFT's loss terms against values worked out by hand from their formulas (methods.md §4.3, §1.8). */
class CoftLossesTest {
    private static final float[] POSITIVE = {2f, 0f, 1f, 0.5f, 1.5f, -1f};
    private static final float[] NEGATIVE = {1f, 0.5f, 2f, 1f, 1f, 0f};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** −log softmax(row)[k]. */
    private static double crossEntropy(double[] row, int k) {
        double sum = 0;
        for (double v : row) {
            sum += Math.exp(v);
        }
        return Math.log(sum) - row[k];
    }

    private static DualPromptLoss.Terms terms(NDManager manager, float[] trusted, boolean warmup) {
        return DualPromptLoss.compute(manager.create(POSITIVE, new Shape(2, 3)), manager.create(NEGATIVE,
                new Shape(2, 3)), manager.create(new long[] {0, 2}), manager.create(new long[] {1, 0}),
                manager.create(trusted), warmup);
    }

    @Test
    void deftDualLossDuringWarmUpTakesEveryLabelAsGiven() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DualPromptLoss.Terms terms = terms(manager, new float[] {0, 0}, true);
            double cls = (crossEntropy(new double[] {2, 0, 1}, 0) + crossEntropy(new double[] {0.5, 1.5, -1}, 2)) / 2;
            // p_yes = σ(S⁺ − S⁻); ȳ = (1, 0): −log p_no there; y = (0, 2): −log p_yes there.
            double neg = (-Math.log(1 - sigmoid(0 - 0.5)) - Math.log(1 - sigmoid(0.5 - 1))) / 2
                    + (-Math.log(sigmoid(2 - 1)) - Math.log(sigmoid(-1 - 0))) / 2;
            assertEquals(cls, terms.cls().getFloat(), 1e-5);
            assertEquals(neg, terms.neg().getFloat(), 1e-5);
            assertArrayEquals(new float[] {1, 0}, terms.clean().toFloatArray(), "σ(1) > ½ is clean, σ(−1) is not");
        }
    }

    @Test
    void afterWarmUpNoisyLabelsLeaveTheClassifierAndTheirNegativeTargetIsThePrediction() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DualPromptLoss.Terms terms = terms(manager, new float[] {0, 0}, false);
            double cls = crossEntropy(new double[] {2, 0, 1}, 0); // image 1's label is noisy
            // image 1: y' = argmax S⁺ = 1, so −log p_yes[1, 1] = −log σ(1.5 − 1)
            double neg = (-Math.log(1 - sigmoid(0 - 0.5)) - Math.log(1 - sigmoid(0.5 - 1))) / 2
                    + (-Math.log(sigmoid(2 - 1)) - Math.log(sigmoid(1.5 - 1))) / 2;
            assertEquals(cls, terms.cls().getFloat(), 1e-5);
            assertEquals(neg, terms.neg().getFloat(), 1e-5);

            DualPromptLoss.Terms shot = terms(manager, new float[] {0, 1}, false);
            assertArrayEquals(new float[] {1, 1}, shot.clean().toFloatArray(), "a labeled shot is always clean");
            assertEquals((crossEntropy(new double[] {2, 0, 1}, 0) + crossEntropy(new double[] {0.5, 1.5, -1}, 2)) / 2,
                    shot.cls().getFloat(), 1e-5);
        }
    }

    @Test
    void probabilitiesAreClampedBeforeTheLogAndNegGradientsSkipThePositivePrompt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray positive = manager.create(new float[] {-20f, 0f}, new Shape(1, 2));
            NDArray negative = manager.create(new float[] {0f, 0f}, new Shape(1, 2));
            positive.setRequiresGradient(true);
            negative.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DualPromptLoss.Terms terms = DualPromptLoss.compute(positive, negative, manager.create(new long[] {0}),
                        manager.create(new long[] {1}), manager.create(new float[] {0}), true);
                // p_yes[0, 0] = σ(−20) ≈ 2e−9, clamped to 1e−5; p_no[0, 1] = ½
                assertEquals(-Math.log(0.5) - Math.log(1e-5), terms.neg().getFloat(), 1e-4);
                collector.backward(terms.neg());
            }
            assertArrayEquals(new float[] {0, 0}, positive.getGradient().toFloatArray(),
                    "S⁺ enters p_yes without gradient: L_neg trains the negative prompt (and the image)");
            assertTrue(negative.getGradient().abs().sum().getFloat() > 0);
        }
    }

    @Test
    void cleanProbabilityIsTheSigmoidOfTheMargin() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] p = DualPromptLoss.cleanProbability(manager.create(POSITIVE, new Shape(2, 3)),
                    manager.create(NEGATIVE, new Shape(2, 3))).toFloatArray();
            CollaborativeFilter.ModelScores scores = new CollaborativeFilter.ModelScores(
                    new float[][] {{2, 0, 1}, {0.5f, 1.5f, -1}}, new float[][] {{1, 0.5f, 2}, {1, 1, 0}});
            for (int i = 0; i < 6; i++) {
                assertEquals(sigmoid(POSITIVE[i] - NEGATIVE[i]), p[i], 1e-6);
                assertEquals(p[i], scores.cleanProbability(i / 3, i % 3), 1e-6);
            }
        }
    }

    @Test
    void infoNceIsCrossEntropyWithThePositiveKeyFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray queries = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray keys = manager.create(new float[] {0.6f, 0.8f, 0, 1}, new Shape(2, 2));
            NDArray queue = manager.create(new float[] {1, 0, -1, 0, 0, -1}, new Shape(3, 2));
            double t = 0.5;
            double row0 = crossEntropy(new double[] {0.6 / t, 1 / t, -1 / t, 0}, 0);
            double row1 = crossEntropy(new double[] {1 / t, 0, 0, -1 / t}, 0);
            assertEquals((row0 + row1) / 2, MomentumContrast.infoNce(queries, keys, queue, t).getFloat(), 1e-5);
        }
    }

    @Test
    void theQueueTakesKeysOverItsOldestRowsAndWrapsAround() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray queue = manager.zeros(new Shape(3, 1));
            int pointer = MomentumContrast.enqueue(queue, 0, manager.create(new float[] {1, 2}, new Shape(2, 1)));
            assertEquals(2, pointer);
            pointer = MomentumContrast.enqueue(queue, pointer, manager.create(new float[] {3, 4}, new Shape(2, 1)));
            assertEquals(1, pointer);
            assertArrayEquals(new float[] {4, 2, 3}, queue.toFloatArray());
        }
    }
}
