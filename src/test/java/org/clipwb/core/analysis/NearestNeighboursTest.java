package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class NearestNeighboursTest {
    private static final float S = (float) Math.sqrt(0.5);
    private static final float[][] POINTS = {{1, 0}, {S, S}, {0, 1}, {-1, 0}, {0.6f, 0.8f}};

    @Test
    void ranksByCosineSimilarityAndLeavesTheQueryOut() {
        NearestNeighbours.Neighbours near = new NearestNeighbours(POINTS).search(POINTS[0], 2, 0);
        assertArrayEquals(new int[] {1, 4}, near.indices());
        assertArrayEquals(new float[] {S, 0.6f}, near.similarities(), 1e-6f);
    }

    @Test
    void answersManyQueriesAtOnceAndNeverMoreThanThereAre() {
        NearestNeighbours.Neighbours[] all = new NearestNeighbours(POINTS).search(
                new float[][] {{0, 1}, {-1, 0}}, 3, new int[] {-1, 3});
        assertArrayEquals(new int[] {2, 4, 1}, all[0].indices());
        // (−1, 0) against the others: 0, −0.6, −0.707, −1; itself (index 3) left out.
        assertArrayEquals(new int[] {2, 4, 1}, all[1].indices());
        assertArrayEquals(new float[] {0, -0.6f, -S}, all[1].similarities(), 1e-6f);
        NearestNeighbours.Neighbours everything = new NearestNeighbours(POINTS).search(POINTS[3], 10, 3);
        assertArrayEquals(new int[] {2, 4, 1, 0}, everything.indices());
    }
}
