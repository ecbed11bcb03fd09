package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class AccuracyTest {
    // Class 0: four labelled images, three right. Class 1: one, right. Class 2: none labelled. Two unlabelled.
    private static final int[] PREDICTED = {0, 0, 0, 1, 1, 2, 0};
    private static final int[] LABELS = {0, 0, 0, 0, 1, -1, -1};

    @Test
    void plainCountsOnlyLabelledImages() {
        assertEquals(OptionalDouble.of(4 / 5.0), Accuracy.plain(PREDICTED, LABELS));
        assertEquals(OptionalDouble.of(1), Accuracy.plain(new int[] {2}, new int[] {2}));
        assertEquals(OptionalDouble.of(0), Accuracy.plain(new int[] {1}, new int[] {2}));
    }

    @Test
    void balancedAveragesTheRecallOfClassesThatHaveLabels() {
        // (3/4 + 1/1) / 2: class 2 has no labelled image and does not count, although an image is predicted as 2.
        assertEquals(OptionalDouble.of((0.75 + 1) / 2), Accuracy.balanced(PREDICTED, LABELS, 3));
        assertEquals(OptionalDouble.of(0.5), Accuracy.balanced(new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 1}, 2),
                "plain accuracy would say 0.75");
    }

    @Test
    void withoutAnyLabelThereIsNoAccuracy() {
        assertTrue(Accuracy.plain(new int[] {0, 1}, new int[] {-1, -1}).isEmpty());
        assertTrue(Accuracy.balanced(new int[] {0, 1}, new int[] {-1, -1}, 2).isEmpty());
        assertTrue(Accuracy.plain(new int[0], new int[0]).isEmpty());
        assertTrue(Accuracy.balanced(new int[0], new int[0], 4).isEmpty());
    }
}
