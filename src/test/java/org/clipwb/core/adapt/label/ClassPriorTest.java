package org.clipwb.core.adapt.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.junit.jupiter.api.Test;

class ClassPriorTest {
    @Test
    void identicalRowsBecomeUniform() {
        // Every image says 0.8 / 0.2: weights 1 and 4 make each row, and so the mean, 0.5 / 0.5.
        float[][] balanced = ClassPrior.uniform(new float[][] {{0.8f, 0.2f}, {0.8f, 0.2f}});
        assertArrayEquals(new float[] {0.5f, 0.5f}, balanced[0], 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.5f}, balanced[1], 1e-6f);
    }

    @Test
    void theMeanBecomesUniformAndEachRowStaysADistribution() {
        float[][] probabilities = {{0.9f, 0.1f}, {0.6f, 0.4f}};
        float[][] balanced = ClassPrior.uniform(probabilities);
        assertEquals(0.5, (balanced[0][1] + balanced[1][1]) / 2, 1e-6);
        // Hand-computed: the weight ratio r = w₁/w₀ solves ½ (0.1r / (0.9 + 0.1r) + 0.4r / (0.6 + 0.4r)) = ½, so
        // r² · 0.04 = 0.54 (cross-multiplied), r = √13.5 = 3.6742; row 0 becomes 0.9 : 0.36742.
        double r = Math.sqrt(13.5);
        assertEquals(0.9 / (0.9 + 0.1 * r), balanced[0][0], 1e-6);
        assertEquals(0.6 / (0.6 + 0.4 * r), balanced[1][0], 1e-6);
        for (float[] row : balanced) {
            assertEquals(1, row[0] + row[1], 1e-6);
        }
    }

    @Test
    void aUniformPriorGivesTheNeglectedClassItsPseudoLabels() {
        // Zero-shot never predicts class 1, so top-1 per predicted class selects one image; balanced, both classes.
        float[][] probabilities = {{0.9f, 0.1f}, {0.7f, 0.3f}, {0.6f, 0.4f}, {0.95f, 0.05f}};
        List<Setting> settings = PseudoLabelPhase.SETTINGS;
        PseudoLabels asPredicted = PseudoLabelPhase.select(probabilities,
                Settings.defaults(settings).withAssignments(List.of("labels.k=1")));
        assertArrayEquals(new int[] {3}, asPredicted.selected());
        PseudoLabels balanced = PseudoLabelPhase.select(probabilities,
                Settings.defaults(settings).withAssignments(List.of("labels.k=1", "labels.prior=uniform")));
        assertArrayEquals(new int[] {2, 3}, balanced.selected());
        assertArrayEquals(new int[] {1, 0}, balanced.selectedLabels());
    }
}
