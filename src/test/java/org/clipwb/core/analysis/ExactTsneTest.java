package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExactTsneTest {
    /** Two tight clusters of 15 points, far apart in 5 dimensions. */
    private static float[][] twoClusters() {
        SplittableRandom random = new SplittableRandom(4);
        float[][] points = new float[30][5];
        for (int i = 0; i < points.length; i++) {
            for (int d = 0; d < 5; d++) {
                points[i][d] = (float) ((i < 15 ? 0 : 10) + random.nextDouble() * 0.5);
            }
        }
        return points;
    }

    @Test
    void affinitiesAreSymmetricSumToOneAndCalibrateEachRowToThePerplexity() {
        float[][] points = twoClusters();
        int n = points.length;
        double[] p = ExactTsne.affinities(points, 5);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(0, p[i * n + i]);
            for (int j = 0; j < n; j++) {
                assertEquals(p[i * n + j], p[j * n + i], 1e-15);
                sum += p[i * n + j];
            }
        }
        assertEquals(1, sum, 1e-6);
        // Each point's affinity stays within its cluster: P(j|i) across clusters is vanishing.
        double across = 0;
        for (int i = 0; i < 15; i++) {
            for (int j = 15; j < n; j++) {
                across += p[i * n + j];
            }
        }
        assertTrue(across < 1e-9, "affinity across clusters " + across);
    }

    @Test
    void keepsSeparateClustersSeparateAndIsReproducible() {
        float[][] points = twoClusters();
        AtomicInteger reported = new AtomicInteger();
        float[][] map = ExactTsne.embed(points, 5, 1000, 7, (done, total) -> reported.set(done), () -> false);
        assertEquals(1000, reported.get());
        for (int i = 0; i < points.length; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < points.length; j++) {
                double dx = map[i][0] - map[j][0];
                double dy = map[i][1] - map[j][1];
                if (j != i && dx * dx + dy * dy < best) {
                    best = dx * dx + dy * dy;
                    nearest = j;
                }
            }
            assertEquals(i < 15, nearest < 15, "point " + i + "'s nearest in the map is " + nearest);
        }
        float[][] again = ExactTsne.embed(points, 5, 1000, 7, (done, total) -> { }, () -> false);
        for (int i = 0; i < points.length; i++) {
            assertArrayEquals(map[i], again[i]);
        }
    }

    @Test
    void stopsWhenCancelledAndRefusesWhatItCannotDo() {
        AtomicInteger iterations = new AtomicInteger();
        assertThrows(CancellationException.class, () -> ExactTsne.embed(twoClusters(), 5, 300, 7,
                (done, total) -> iterations.set(done), () -> iterations.get() >= 3));
        assertEquals(3, iterations.get());
        assertThrows(IllegalArgumentException.class, () -> ExactTsne.embed(twoClusters(), 40, 10, 7,
                (done, total) -> { }, () -> false));
        assertThrows(IllegalArgumentException.class, () -> ExactTsne.embed(new float[ExactTsne.MAX_POINTS + 1][2], 5,
                10, 7, (done, total) -> { }, () -> false));
    }

    @Test
    void samplesAtMostTheCapSeededAndSorted() {
        int[] sample = ExactTsne.sample(100, 10, 3);
        assertEquals(10, sample.length);
        for (int k = 1; k < sample.length; k++) {
            assertTrue(sample[k] > sample[k - 1]);
        }
        assertArrayEquals(sample, ExactTsne.sample(100, 10, 3));
        assertEquals(5, ExactTsne.sample(5, 10, 3).length);
    }
}
