package org.clipwb.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FloatRowsTest {
    @Test
    void splitAndJoinAreInverse() {
        float[] flat = {1, 2, 3, 4, 5, 6};
        float[][] rows = FloatRows.split(flat, 2);
        assertArrayEquals(new float[] {1, 2, 3}, rows[0]);
        assertArrayEquals(new float[] {4, 5, 6}, rows[1]);
        assertArrayEquals(flat, FloatRows.join(rows));
        assertEquals(0, FloatRows.split(new float[0], 0).length);
    }

    @Test
    void unevenShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FloatRows.split(new float[5], 2));
        assertThrows(IllegalArgumentException.class, () -> FloatRows.join(new float[][] {{1, 2}, {3}}));
    }
}
