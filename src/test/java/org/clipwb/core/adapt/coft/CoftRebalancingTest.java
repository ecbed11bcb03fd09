package org.clipwb.core.adapt.coft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The pieces that fight the retained labels' noise and class skew (phase2.retain-fraction, phase2.sample-weights,
 * phase2.class-balance, phase2.label-smoothing), against hand-worked values. The class-balanced zero-shot labels are
 * the shared {@code labels.prior=uniform} ({@code ClassPriorTest}).
 */
class CoftRebalancingTest {
    @Test
    void labelSmoothedCrossEntropyIsTheWeightedMeanOverLabeledImages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] logits = {2f, 0f, 1f, 0.5f, 1.5f, -1f, 9f, 9f, 9f};
            float value = CoftArrays.weightedCrossEntropy(manager.create(logits, new Shape(3, 3)),
                    manager.create(new long[] {0, 2, 1}), manager.create(new float[] {1f, 0.5f, 0f}), 0.1).getFloat();
            // q = 0.9·onehot + 0.1/3; the third image has weight 0 and does not count.
            double first = smoothed(new double[] {2, 0, 1}, 0);
            double second = smoothed(new double[] {0.5, 1.5, -1}, 2);
            assertEquals((first + 0.5 * second) / 1.5, value, 1e-5);
        }
    }

    /** −Σ_k q_k log softmax(row)_k with q = 0.9·onehot(y) + 0.1/3. */
    private static double smoothed(double[] row, int y) {
        double sum = 0;
        for (double v : row) {
            sum += Math.exp(v);
        }
        double loss = 0;
        for (int k = 0; k < row.length; k++) {
            loss -= ((k == y ? 0.9 : 0) + 0.1 / 3) * (row[k] - Math.log(sum));
        }
        return loss;
    }

    @Test
    void imageWeightsAreCleanProbabilitiesRescaledToEqualClassTotals() {
        int[] labels = {0, 0, 1, -1};
        float[] pClean = {0.9f, 0.7f, 0.6f, 0.2f};
        // raw 0.9, 0.7, 0.6 (class totals 1.6 and 0.6, all 2.2); each class should total 2.2 / 2 = 1.1.
        assertArrayEquals(new float[] {0.9f * 1.1f / 1.6f, 0.7f * 1.1f / 1.6f, 1.1f, 0f},
                PhaseTwo.imageWeights(labels, pClean, 2, true, true), 1e-6f);
        assertArrayEquals(new float[] {1f, 1f, 1f, 0f}, PhaseTwo.imageWeights(labels, pClean, 2, false, false));
        // uniform: class totals 2 and 1 of 3, each should total 1.5.
        assertArrayEquals(new float[] {0.75f, 0.75f, 1.5f, 0f},
                PhaseTwo.imageWeights(labels, pClean, 2, false, true), 1e-6f);
    }

    @Test
    void mostConfidentKeepsTheTopFractionOfEachClassByCleanProbability() {
        CollaborativeFilter.Decision decision = new CollaborativeFilter.Decision(new int[] {0, 0, 0, 1, -1},
                new int[] {0, 0, 1, 1, -1}, new int[] {1, 1, 0, 0, -1}, new float[] {0.6f, 0.9f, 0.7f, 0.8f, 0.1f});
        // Class 0 keeps ⌈0.5·3⌉ = 2 of 3: p 0.9 and 0.7; class 1 keeps ⌈0.5·1⌉ = 1.
        CollaborativeFilter.Decision kept = CollaborativeFilter.mostConfident(decision, 0.5, 2);
        assertArrayEquals(new int[] {-1, 0, 0, 1, -1}, kept.label());
        assertArrayEquals(new int[] {-1, 1, 0, 0, -1}, kept.validator(), "a dropped label has no validator");
        assertArrayEquals(new int[] {-1, 0, 1, 1, -1}, kept.generator());
        assertArrayEquals(decision.cleanProbability(), kept.cleanProbability());
        assertArrayEquals(new int[] {0, 0, 0, 1, -1}, decision.label(), "the decision itself is not changed");
        assertEquals(decision, CollaborativeFilter.mostConfident(decision, 1, 2));
    }

    @Test
    void theAdapterGivesTheSameDirectionForANormalisedFeatureAsForTheRawOne() {
        // Phase I trains adapter-only models on the data's normalised embeddings (phase1.cache-features): that is
        // exact because the adapter has no biases and ReLU is positively homogeneous.
        try (NDManager manager = NDManager.newBaseManager()) {
            FeatureAdapter adapter = FeatureAdapter.initialise(manager, new java.util.SplittableRandom(3), 8, 0.2);
            var raw = manager.randomNormal(new Shape(3, 8)).mul(7f);
            var fromRaw = CoftArrays.normalise(adapter.apply(raw)).toFloatArray();
            var fromNormalised = CoftArrays.normalise(adapter.apply(CoftArrays.normalise(raw))).toFloatArray();
            assertArrayEquals(fromRaw, fromNormalised, 1e-6f);
        }
    }
}
