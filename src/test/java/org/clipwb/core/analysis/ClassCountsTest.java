package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ClassCountsTest {
    @Test
    void countsPredictedKeptAndLabeledImagesPerClass() {
        ClassCounts counts = ClassCounts.of(new int[] {0, 1, 1, 2, 1}, new boolean[] {true, false, true, true, true},
                new int[] {0, 0, 1, -1, 2}, 3);
        assertArrayEquals(new int[] {1, 3, 1}, counts.predicted());
        assertArrayEquals(new int[] {1, 2, 1}, counts.kept().orElseThrow());
        assertArrayEquals(new int[] {2, 1, 1}, counts.labeled().orElseThrow());
    }

    @Test
    void unknownKeptFlagsAndNoLabelsAreLeftOut() {
        ClassCounts counts = ClassCounts.of(new int[] {0, 1}, null, new int[] {-1, -1}, 2);
        assertFalse(counts.kept().isPresent());
        assertFalse(counts.labeled().isPresent());
    }
}
