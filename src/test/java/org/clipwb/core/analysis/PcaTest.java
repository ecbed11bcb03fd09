package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PcaTest {
    @Test
    void findsTheAxesOfATinyMatrixByHand() {
        // Centred already; covariance (÷5) = diag(8/5, 2/5): the first axis is x, the second y.
        float[][] points = {{2, 0}, {0, 0}, {-2, 0}, {0, 1}, {0, -1}};
        Pca.Projection projection = Pca.project(points, 2);
        assertEquals(1.6, projection.variances()[0], 1e-5);
        assertEquals(0.4, projection.variances()[1], 1e-5);
        assertEquals(2.0, projection.totalVariance(), 1e-5);
        assertEquals(0.8, projection.explained(0), 1e-5);
        assertEquals(1, projection.components()[0][0], 1e-5);
        assertEquals(0, projection.components()[0][1], 1e-5);
        assertEquals(1, projection.components()[1][1], 1e-5);
        float[] expectedX = {2, 0, -2, 0, 0};
        float[] expectedY = {0, 0, 0, 1, -1};
        for (int i = 0; i < points.length; i++) {
            assertEquals(expectedX[i], projection.coordinates()[i][0], 1e-5);
            assertEquals(expectedY[i], projection.coordinates()[i][1], 1e-5);
        }
    }

    @Test
    void centresThePointsAndFindsADiagonalAxis() {
        // Around the mean (1, 1, 5): spread ±2 along (1, 1, 0)/√2 and ±1 along (1, −1, 0)/√2.
        double a = 2 / Math.sqrt(2);
        double b = 1 / Math.sqrt(2);
        float[][] points = {
            {(float) (1 + a), (float) (1 + a), 5}, {(float) (1 - a), (float) (1 - a), 5},
            {(float) (1 + b), (float) (1 - b), 5}, {(float) (1 - b), (float) (1 + b), 5}};
        Pca.Projection projection = Pca.project(points, 2);
        assertEquals(1 / Math.sqrt(2), projection.components()[0][0], 1e-5);
        assertEquals(1 / Math.sqrt(2), projection.components()[0][1], 1e-5);
        assertEquals(0, projection.components()[0][2], 1e-5);
        assertEquals(2, projection.variances()[0], 1e-5); // (4 + 4) / 4
        assertEquals(0.5, projection.variances()[1], 1e-5); // (1 + 1) / 4
        assertEquals(2, projection.coordinates()[0][0], 1e-5);
        assertEquals(-2, projection.coordinates()[1][0], 1e-5);
        assertEquals(0, projection.coordinates()[2][0], 1e-5);
        assertEquals(1, Math.abs(projection.coordinates()[2][1]), 1e-5);
    }

    @Test
    void rejectsMoreComponentsThanDimensions() {
        assertThrows(IllegalArgumentException.class, () -> Pca.project(new float[][] {{1, 2}}, 3));
        assertThrows(IllegalArgumentException.class, () -> Pca.project(new float[0][], 2));
    }
}
