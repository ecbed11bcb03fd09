package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfidenceHistogramTest {
    private static final float[] CONFIDENCE = {0.1f, 0.3f, 0.55f, 0.7f, 0.9f, 0.95f};
    private static final int[] PREDICTED = {0, 1, 1, 0, 1, 0};
    // right, wrong, right, wrong, right, unlabeled
    private static final int[] TRUTH = {0, 0, 1, 1, 1, -1};

    @Test
    void binsSplitRightWrongAndUnlabeledImages() {
        ConfidenceHistogram histogram = new ConfidenceHistogram(CONFIDENCE, PREDICTED, TRUTH, 4);
        assertEquals(4, histogram.binCount());
        assertEquals(1, histogram.correct(0));
        assertEquals(1, histogram.wrong(1));
        assertEquals(1, histogram.correct(2));
        assertEquals(1, histogram.wrong(2));
        assertEquals(1, histogram.correct(3));
        assertEquals(1, histogram.unlabeled(3));
        assertEquals(2, histogram.count(3));
        assertTrue(histogram.hasLabels());
    }

    @Test
    void aHigherThresholdPassesFewerLabelsThatAreMoreOftenRight() {
        ConfidenceHistogram histogram = new ConfidenceHistogram(CONFIDENCE, PREDICTED, TRUTH, 10);
        ConfidenceHistogram.Coverage all = histogram.coverage(0);
        assertEquals(6, all.passing());
        assertEquals(1.0, all.fraction(), 1e-12);
        assertEquals(3.0 / 5, all.accuracy().getAsDouble(), 1e-12);
        ConfidenceHistogram.Coverage half = histogram.coverage(0.5);
        assertEquals(4, half.passing());
        assertEquals(4.0 / 6, half.fraction(), 1e-12);
        assertEquals(2.0 / 3, half.accuracy().getAsDouble(), 1e-12);
        // A threshold equal to a confidence lets that image through.
        assertEquals(2, histogram.coverage(0.9).passing());
        assertEquals(1.0, histogram.coverage(0.9).accuracy().getAsDouble(), 1e-12);
        ConfidenceHistogram.Coverage onlyUnlabeled = histogram.coverage(0.92);
        assertEquals(1, onlyUnlabeled.passing());
        assertFalse(onlyUnlabeled.accuracy().isPresent());
        assertEquals(0, histogram.coverage(0.99).passing());
    }

    @Test
    void withoutLabelsThereIsCoverageButNoAccuracy() {
        ConfidenceHistogram histogram = new ConfidenceHistogram(new float[] {0.2f, 0.8f}, new int[] {0, 1},
                new int[] {-1, -1}, 5);
        assertFalse(histogram.hasLabels());
        assertEquals(1, histogram.coverage(0.5).passing());
        assertFalse(histogram.coverage(0.5).accuracy().isPresent());
    }
}
