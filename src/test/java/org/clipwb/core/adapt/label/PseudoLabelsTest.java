package org.clipwb.core.adapt.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PseudoLabelsTest {
    /**
     * Nine images over three classes. Predicted class and confidence of each:
     * 0: c0 .60, 1: c0 .90, 2: c1 .50, 3: c0 .70, 4: c0 .60, 5: c2 .80, 6: c1 .75, 7: c0 .60, 8: c1 .50.
     */
    private static final float[][] PROBABILITIES = {
        {0.60f, 0.25f, 0.15f}, {0.90f, 0.05f, 0.05f}, {0.25f, 0.50f, 0.25f}, {0.70f, 0.20f, 0.10f},
        {0.60f, 0.30f, 0.10f}, {0.10f, 0.10f, 0.80f}, {0.125f, 0.75f, 0.125f}, {0.60f, 0.20f, 0.20f},
        {0.50f, 0.50f, 0f},
    };

    private static int[] selected(Selection rule, double parameter) {
        return PseudoLabels.select(PROBABILITIES, rule, parameter).selected();
    }

    @Test
    void predictsTheArgmaxAndItsProbability() {
        PseudoLabels labels = PseudoLabels.select(PROBABILITIES, Selection.ALL, 0);
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 2, 1, 0, 0}, labels.predicted(),
                "image 8 ties between classes 0 and 1: the first wins");
        assertArrayEquals(new float[] {0.6f, 0.9f, 0.5f, 0.7f, 0.6f, 0.8f, 0.75f, 0.6f, 0.5f}, labels.confidence());
        assertEquals(9, labels.size());
    }

    @Test
    void bestTakesTheFirstOfTiedClasses() {
        assertEquals(new PseudoLabels.Best(1, 0.4f), PseudoLabels.best(new float[] {0.2f, 0.4f, 0.4f}));
        assertEquals(new PseudoLabels.Best(0, 1f), PseudoLabels.best(new float[] {1f}));
        assertEquals(new PseudoLabels.Best(2, 0.5f), PseudoLabels.best(new float[] {0.25f, 0.25f, 0.5f}));
    }

    @Test
    void topKKeepsTheMostConfidentOfEachPredictedClassTiesByIndex() {
        // Class 0 holds 0 (.6), 1 (.9), 3 (.7), 4 (.6), 7 (.6), 8 (.5); class 1 holds 2 (.5), 6 (.75); class 2 holds 5.
        assertArrayEquals(new int[] {1, 5, 6}, selected(Selection.TOP_K_PER_CLASS, 1));
        assertArrayEquals(new int[] {1, 2, 3, 5, 6}, selected(Selection.TOP_K_PER_CLASS, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6}, selected(Selection.TOP_K_PER_CLASS, 3),
                "of 0, 4 and 7 (all .6) the lowest index goes first");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, selected(Selection.TOP_K_PER_CLASS, 4));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, selected(Selection.TOP_K_PER_CLASS, 50),
                "a class with fewer than K images gives them all");
        assertArrayEquals(new int[] {1, 2, 3, 5, 6}, selected(Selection.TOP_K_PER_CLASS, 2.4), "K is rounded");
        assertArrayEquals(new int[0], selected(Selection.TOP_K_PER_CLASS, 0));
    }

    @Test
    void thresholdKeepsEveryImageAtOrAboveIt() {
        assertArrayEquals(new int[] {1, 3, 5, 6}, selected(Selection.THRESHOLD, 0.7),
                "image 3's confidence is the float 0.7, a hair below the double 0.7, and counts as 0.7");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, selected(Selection.THRESHOLD, 0.5), "inclusive");
        assertArrayEquals(new int[] {1}, selected(Selection.THRESHOLD, 0.85));
        assertArrayEquals(new int[0], selected(Selection.THRESHOLD, 0.95));
    }

    @Test
    void topFractionKeepsAtLeastOneImagePerPredictedClass() {
        // ceil(r · count) per class, at least one: class 0 has 6 images, class 1 two, class 2 one.
        assertArrayEquals(new int[] {1, 5, 6}, selected(Selection.TOP_FRACTION_PER_CLASS, 0));
        assertArrayEquals(new int[] {1, 3, 5, 6}, selected(Selection.TOP_FRACTION_PER_CLASS, 0.3),
                "ceil(1.8) = 2 of class 0, ceil(0.6) = 1 of class 1");
        assertArrayEquals(new int[] {0, 1, 3, 5, 6}, selected(Selection.TOP_FRACTION_PER_CLASS, 0.5));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, selected(Selection.TOP_FRACTION_PER_CLASS, 1));
    }

    @Test
    void topFractionIsNotThrownOffByRoundingOfTheProduct() {
        // 0.14 · 50 and 0.28 · 25 are 7.000000000000001 in doubles: still 7 images, not 8.
        assertEquals(7, fractionOfOneClass(50, 0.14));
        assertEquals(7, fractionOfOneClass(25, 0.28));
        assertEquals(8, fractionOfOneClass(50, 0.1401));
    }

    private static int fractionOfOneClass(int count, double fraction) {
        float[][] probabilities = new float[count][];
        for (int i = 0; i < count; i++) {
            probabilities[i] = new float[] {0.99f - i * 0.001f, 0.01f + i * 0.001f}; // all class 0
        }
        return PseudoLabels.select(probabilities, Selection.TOP_FRACTION_PER_CLASS, fraction).selected().length;
    }

    @Test
    void allKeepsEveryImage() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, selected(Selection.ALL, Double.NaN));
        assertArrayEquals(new int[0], PseudoLabels.select(new float[0][], Selection.TOP_K_PER_CLASS, 3).selected());
    }

    @Test
    void selectedLabelsFollowTheSelection() {
        PseudoLabels labels = PseudoLabels.select(PROBABILITIES, Selection.TOP_K_PER_CLASS, 1);
        assertArrayEquals(new int[] {0, 2, 1}, labels.selectedLabels());
    }

    @Test
    void accuraciesSkipImagesWithoutALabel() {
        PseudoLabels labels = PseudoLabels.select(PROBABILITIES, Selection.TOP_K_PER_CLASS, 1); // selects 1, 5, 6
        int[] truth = {-1, 0, 1, 0, 1, 1, -1, 0, -1};
        // Selected and labelled: 1 (right), 5 (wrong: predicted 2); 6 has no label.
        assertEquals(0.5, labels.selectedAccuracy(truth));
        // Labelled: 1 ✓, 2 ✓, 3 ✓, 4 ✗, 5 ✗, 7 ✓.
        assertEquals(4 / 6.0, labels.accuracy(truth));
        int[] none = new int[9];
        Arrays.fill(none, -1);
        assertTrue(Double.isNaN(labels.selectedAccuracy(none)));
        assertTrue(Double.isNaN(labels.accuracy(none)));
        int[] onlyUnselected = none.clone();
        onlyUnselected[0] = 0;
        assertTrue(Double.isNaN(labels.selectedAccuracy(onlyUnselected)));
        assertEquals(1.0, labels.accuracy(onlyUnselected));
    }

    @Test
    void equalityComparesTheArrays() {
        PseudoLabels a = PseudoLabels.select(PROBABILITIES, Selection.THRESHOLD, 0.7);
        PseudoLabels b = PseudoLabels.select(PROBABILITIES, Selection.THRESHOLD, 0.7);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, PseudoLabels.select(PROBABILITIES, Selection.THRESHOLD, 0.8));
        assertEquals("PseudoLabels[4 of 9 selected]", a.toString());
    }

    @Test
    void selectionWordsNameTheRules() {
        for (Selection rule : Selection.values()) {
            assertEquals(rule, Selection.of(rule.word()));
            assertEquals(rule.word(), Selection.WORDS.get(rule.ordinal()));
        }
        assertEquals(Selection.TOP_FRACTION_PER_CLASS, Selection.of("Top-Fraction"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.of("best"));
        assertEquals("unknown pseudo-label selection 'best' (known: top-k, threshold, top-fraction, all)",
                e.getMessage());
    }
}
