package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void countsLabelAgainstPredictionAndSkipsImagesWithoutALabel() {
        ConfusionMatrix matrix = ConfusionMatrix.of(new int[] {0, 1, 1, 2, 0, 2}, new int[] {0, 1, 2, 2, -1, 0}, 3);
        assertArrayEquals(new int[] {1, 0, 1}, matrix.counts()[0]);
        assertArrayEquals(new int[] {0, 1, 0}, matrix.counts()[1]);
        assertArrayEquals(new int[] {0, 1, 1}, matrix.counts()[2]);
        assertEquals(5, matrix.total());
        assertEquals(3.0 / 5, matrix.accuracy(), 1e-12);
        assertEquals(0.5, matrix.rowFraction(2, 1), 1e-12);
        assertEquals(2, matrix.rowTotal(0));
    }

    @Test
    void withoutLabelsItIsEmptyAndItsAccuracyUndefined() {
        ConfusionMatrix matrix = ConfusionMatrix.of(new int[] {0, 1}, new int[] {-1, -1}, 2);
        assertEquals(0, matrix.total());
        assertTrue(Double.isNaN(matrix.accuracy()));
        assertTrue(Double.isNaN(matrix.rowFraction(0, 0)));
    }

    @Test
    void aClassOutsideTheListIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 2));
        assertTrue(e.getMessage().contains("image 1"), e.getMessage());
    }
}
