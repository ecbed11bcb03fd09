package org.clipwb.core.adapt.latte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.clipwb.core.adapt.latte.LatteMath.MixedTexts;
import org.clipwb.core.adapt.latte.LatteMath.WeightedTexts;
import org.junit.jupiter.api.Test;

class LatteMathTest {
    private static final float TOLERANCE = 1e-6f;

    @Test
    void prototypeLogitsAreOneHundredTimesTheCosineToTheNormalisedPrototypes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Bank rows (2, 0) and (0.6, 0.8) normalise to (1, 0) and (0.6, 0.8). Image (0.8, 0.6): cosines 0.8 and
            // 0.96, logits 80 and 96, class 1. Against the raw rows the products are 1.6 and 0.96: class 0.
            NDArray bank = matrix(manager, 2, 2, 0, 0.6f, 0.8f);
            NDArray image = matrix(manager, 1, 0.8f, 0.6f);
            assertArrayEquals(new float[] {80, 96}, LatteMath.prototypeLogits(image, bank).toFloatArray(), 1e-4f);
            assertArrayEquals(new long[] {1}, LatteMath.fineTunedLabels(image, bank).toLongArray());
        }
    }

    @Test
    void mixerWeightIsTheMarginBetweenTheTwoClosestPrototypesOfTheUnrenormalisedSnapshot() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // P = ((1, 0), (0, 1), (2, 0)); the last row is not a unit vector and must not be renormalised.
            // t₀ = (1, 0): t·P = (1, 0, 2), margin 2 − 1 = 1.   (Renormalised it would be (1, 0, 1): margin 0.)
            // t₁ = (0.6, 0.8): t·P = (0.6, 0.8, 1.2), margin 1.2 − 0.8 = 0.4.
            // Each plus 1e-6.
            NDArray snapshot = matrix(manager, 3, 1, 0, 0, 1, 2, 0);
            NDArray texts = matrix(manager, 2, 1, 0, 0.6f, 0.8f);
            assertArrayEquals(new float[] {1 + 1e-6f, 0.4f + 1e-6f},
                    LatteMath.mixerWeights(texts, snapshot).toFloatArray(), TOLERANCE);
        }
    }

    @Test
    void mixerWeightsCarryNoGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray texts = matrix(manager, 1, 1, 0);
            texts.setRequiresGradient(true);
            assertFalse(LatteMath.mixerWeights(texts, matrix(manager, 2, 1, 0, 0, 1)).hasGradient());
        }
    }

    /**
     * The mixture's inputs shared by the two tests below (B = D = 2, so the released code's column scaling applies):
     * L_ft = ((0.6, 0.8), (0, 1)), w_lft = (2, 1); L_zs = ((0, 1), (1, 0)), w_lzs = (1, 3);
     * T_img = ((0.6, 0.8), (0.8, 0.6)), w_img = (1, 1); T_grp = ((0, 1), (0, 1)), w_grp = (1, 2).
     */
    private static MixedTexts mixExample(NDManager manager, boolean quirk) {
        return LatteMath.mix(
                new WeightedTexts(matrix(manager, 2, 0.6f, 0.8f, 0, 1), manager.create(new float[] {2, 1})),
                new WeightedTexts(matrix(manager, 2, 0, 1, 1, 0), manager.create(new float[] {1, 3})),
                new WeightedTexts(matrix(manager, 2, 0.6f, 0.8f, 0.8f, 0.6f), manager.create(new float[] {1, 1})),
                new WeightedTexts(matrix(manager, 2, 0, 1, 0, 1), manager.create(new float[] {1, 2})),
                quirk);
    }

    @Test
    void mixingScalesEachRowByItsOwnWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixedTexts mixed = mixExample(manager, false);
            // F_ft row 0: (2·(0.6, 0.8) + (0.6, 0.8) + (0, 1)) / (2 + 1 + 1) = (1.8, 3.4) / 4 = (0.45, 0.85)
            // F_ft row 1: (1·(0, 1) + (0.8, 0.6) + 2·(0, 1)) / (1 + 1 + 2) = (0.8, 3.6) / 4 = (0.2, 0.9)
            assertArrayEquals(new float[] {0.45f, 0.85f, 0.2f, 0.9f}, mixed.fineTuned().toFloatArray(), TOLERANCE);
            // F_zs row 0: (1·(0, 1) + (0.6, 0.8) + (0, 1)) / (1 + 1 + 1) = (0.6, 2.8) / 3 = (0.2, 0.9333…)
            // F_zs row 1: (3·(1, 0) + (0.8, 0.6) + 2·(0, 1)) / (3 + 1 + 2) = (3.8, 2.6) / 6 = (0.6333…, 0.4333…)
            assertArrayEquals(new float[] {0.2f, 2.8f / 3, 3.8f / 6, 2.6f / 6}, mixed.zeroShot().toFloatArray(),
                    TOLERANCE);
        }
    }

    @Test
    void theQuirkScalesTheLabelTermsColumnsByTheFineTunedWeightsAndNothingElse() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixedTexts mixed = mixExample(manager, true);
            // Q1: the label term of F_ft is L_ft[i, j]·w_lft[j] = ((0.6·2, 0.8·1), (0·2, 1·1)) = ((1.2, 0.8), (0, 1)).
            // F_ft row 0: ((1.2, 0.8) + (0.6, 0.8) + (0, 1)) / 4 = (1.8, 2.6) / 4 = (0.45, 0.65)   (intended 0.85)
            // F_ft row 1: ((0, 1) + (0.8, 0.6) + (0, 2)) / 4 = (0.2, 0.9)   (as intended: its column weight is its own)
            assertArrayEquals(new float[] {0.45f, 0.65f, 0.2f, 0.9f}, mixed.fineTuned().toFloatArray(), TOLERANCE);
            // Q1 + Q2: the label term of F_zs is L_zs[i, j]·w_lft[j] = ((0·2, 1·1), (1·2, 0·1)) = ((0, 1), (2, 0)),
            // over the intended denominators 3 and 6 (w_lzs).
            // F_zs row 0: ((0, 1) + (0.6, 0.8) + (0, 1)) / 3 = (0.2, 0.9333…)   (as intended: w_lft[1] = w_lzs[0] = 1)
            // F_zs row 1: ((2, 0) + (0.8, 0.6) + (0, 2)) / 6 = (2.8, 2.6) / 6 = (0.4666…, 0.4333…)   (intended 0.6333…)
            assertArrayEquals(new float[] {0.2f, 2.8f / 3, 2.8f / 6, 2.6f / 6}, mixed.zeroShot().toFloatArray(),
                    TOLERANCE);
        }
    }

    @Test
    void theQuirkChangesNothingWhenEveryLabelWeightIsTheSame() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // With w_lft = w_lzs = (1.5, 1.5), scaling columns equals scaling rows, and Q2 swaps equal weights.
            NDArray sameWeights = manager.create(new float[] {1.5f, 1.5f});
            NDArray[] mixtures = new NDArray[4];
            for (int quirk = 0; quirk < 2; quirk++) {
                MixedTexts mixed = LatteMath.mix(
                        new WeightedTexts(matrix(manager, 2, 0.6f, 0.8f, 0, 1), sameWeights),
                        new WeightedTexts(matrix(manager, 2, 0, 1, 1, 0), sameWeights),
                        new WeightedTexts(matrix(manager, 2, 0.6f, 0.8f, 0.8f, 0.6f),
                                manager.create(new float[] {1, 3})),
                        new WeightedTexts(matrix(manager, 2, 0, 1, 0, 1), manager.create(new float[] {1, 2})),
                        quirk == 1);
                mixtures[2 * quirk] = mixed.fineTuned();
                mixtures[2 * quirk + 1] = mixed.zeroShot();
            }
            assertArrayEquals(mixtures[0].toFloatArray(), mixtures[2].toFloatArray(), 0);
            assertArrayEquals(mixtures[1].toFloatArray(), mixtures[3].toFloatArray(), 0);
        }
    }

    @Test
    void theQuirkNeedsTheBatchSizeToEqualTheWidth() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WeightedTexts oneRow = new WeightedTexts(matrix(manager, 1, 1, 0), manager.create(new float[] {1}));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> LatteMath.mix(oneRow, oneRow, oneRow, oneRow, true));
            assertEquals("the released code's column scaling (methods.md §3.7 Q1) needs the batch size to equal the "
                    + "embedding width, got batch 1 and width 2", error.getMessage());
        }
    }

    @Test
    void targetsMoveTheLabelsPrototypeAlphaOfTheWayToTheMixture() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // M = ((1, 0), (0, 1)), y = (1, 0), F = ((0.5, 0.5), (1, 1)), α = 0.1:
            // Q₀ = (0, 1) + 0.1·((0.5, 0.5) − (0, 1)) = (0.05, 0.95); Q₁ = (1, 0) + 0.1·((1, 1) − (1, 0)) = (1, 0.1).
            NDArray targets = LatteMath.anchoredTargets(matrix(manager, 2, 1, 0, 0, 1),
                    manager.create(new int[] {1, 0}), matrix(manager, 2, 0.5f, 0.5f, 1, 1), 0.1f);
            assertArrayEquals(new float[] {0.05f, 0.95f, 1, 0.1f}, targets.toFloatArray(), TOLERANCE);
        }
    }

    @Test
    void lossIsTheSymmetricClipLossAgainstEachKindOfTarget() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // I = (e₁, e₂), s = 2. Q_ft = ((0.6, 0.8), (1, 0)): 1.4987361676 (LossesTest's worked example).
            // Q_zs = I: logits 2·I in both directions, each row log(1 + e⁻²) = 0.1269280110. Total 1.6256641786.
            NDArray images = matrix(manager, 2, 1, 0, 0, 1);
            LatteMath.Loss loss = LatteMath.loss(images, matrix(manager, 2, 0.6f, 0.8f, 1, 0), images,
                    manager.create(2f));
            assertEquals(1.4987361676, loss.fineTuned().getFloat(), 1e-6);
            assertEquals(0.1269280110, loss.zeroShot().getFloat(), 1e-6);
            assertEquals(1.6256641786, loss.total().getFloat(), 1e-6);
        }
    }

    @Test
    void bankUpdateNormalisesTheMeanTargetOfEachClassInTheBatchAndKeepsTheOthers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // C = 3. y_ft = (0, 0), Q_ft = ((3, 4), (1, 0)); y_zs = (1, 0), Q_zs = ((1, 1), (0, 1)).
            // Class 0: S = {(3, 4), (1, 0), (0, 1)}, mean (4, 5)/3, normalised (4, 5)/√41 = (0.6246950, 0.7808688).
            // Class 1: S = {(1, 1)}, normalised (0.7071068, 0.7071068).
            // Class 2: in no label, keeps (0.6, 0.8) exactly.
            NDArray updated = LatteMath.updatedBank(matrix(manager, 3, 1, 0, 0, 1, 0.6f, 0.8f),
                    manager.create(new int[] {0, 0}), matrix(manager, 2, 3, 4, 1, 0),
                    manager.create(new int[] {1, 0}), matrix(manager, 2, 1, 1, 0, 1));
            float[] rows = updated.toFloatArray();
            assertArrayEquals(new float[] {0.6246950f, 0.7808688f, 0.7071068f, 0.7071068f}, slice(rows, 0, 4),
                    TOLERANCE);
            assertArrayEquals(new float[] {0.6f, 0.8f}, slice(rows, 4, 6), 0);
        }
    }

    @Test
    void aSampleWithBothLabelsOnOneClassGivesItBothTargets() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // y_ft = y_zs = (0, 0): S₀ = {Q_zs₀, Q_zs₁, Q_ft₀, Q_ft₁} = {(1, 0), (1, 0), (1, 0), (0, 3)},
            // mean ∝ (3, 3), normalised (0.7071068, 0.7071068); class 1 keeps (0, 1).
            NDArray updated = LatteMath.updatedBank(matrix(manager, 2, 1, 0, 0, 1),
                    manager.create(new int[] {0, 0}), matrix(manager, 2, 1, 0, 0, 3),
                    manager.create(new int[] {0, 0}), matrix(manager, 2, 1, 0, 1, 0));
            assertArrayEquals(new float[] {0.7071068f, 0.7071068f, 0, 1}, updated.toFloatArray(), TOLERANCE);
        }
    }

    /** A matrix of {@code rows} rows from row-major values. */
    static NDArray matrix(NDManager manager, int rows, float... values) {
        return manager.create(values, new Shape(rows, values.length / rows));
    }

    private static float[] slice(float[] values, int from, int to) {
        float[] part = new float[to - from];
        System.arraycopy(values, from, part, 0, part.length);
        return part;
    }
}
