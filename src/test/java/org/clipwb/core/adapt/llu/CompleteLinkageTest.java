package org.clipwb.core.adapt.llu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.clipwb.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompleteLinkageTest {

    @ParameterizedTest(name = "{0} points in {1}-D to {2} clusters, seed {3}")
    @CsvSource({
        "12, 2, 4, 1", "12, 2, 4, 2", "20, 3, 5, 3", "20, 3, 2, 4", "30, 3, 7, 5", "30, 4, 10, 6", "40, 2, 6, 7",
        "40, 5, 12, 8", "25, 3, 1, 9", "25, 3, 24, 10", "60, 3, 9, 11", "60, 8, 20, 12"})
    void givesTheSamePartitionAsTheTextbookGreedyAlgorithm(int n, int dim, int clusters, long seed) {
        float[][] points = Vectors.randomUnit(new SplittableRandom(seed), n, dim);
        List<List<Integer>> actual = CompleteLinkage.cluster(points, clusters);
        List<List<Integer>> expected = bruteForce(points, clusters);
        assertEquals(asSets(expected), asSets(actual));
        assertEquals(clusters, actual.size());
        List<Integer> smallest = actual.stream().map(c -> c.get(0)).toList();
        assertEquals(smallest.stream().sorted().toList(), smallest, "clusters in order of their smallest member");
        actual.forEach(c -> assertEquals(c.stream().sorted().toList(), c, "members ascending"));
    }

    @Test
    void mergesTheTightPairsOfAHandMadeLayout() {
        // Three tight pairs on the circle, far apart: complete linkage down to three clusters finds the pairs.
        float[][] points = {Vectors.unit(1, 0), Vectors.unit(0, 1), Vectors.unit(1, 0.05), Vectors.unit(-1, 0.02),
            Vectors.unit(0.04, 1), Vectors.unit(-1, -0.03)};
        assertEquals(List.of(List.of(0, 2), List.of(1, 4), List.of(3, 5)), CompleteLinkage.cluster(points, 3));
    }

    @Test
    void noMoreThanTheTargetLeavesEveryPointItsOwnCluster() {
        float[][] points = Vectors.randomUnit(new SplittableRandom(3), 5, 3);
        List<List<Integer>> expected = List.of(List.of(0), List.of(1), List.of(2), List.of(3), List.of(4));
        assertEquals(expected, CompleteLinkage.cluster(points, 5));
        assertEquals(expected, CompleteLinkage.cluster(points, 512));
        assertEquals(List.of(), CompleteLinkage.cluster(new float[0][], 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompleteLinkage.cluster(points, 0));
        assertEquals("cannot cluster into 0 clusters", e.getMessage());
    }

    @Test
    void representativesAreTheNormalisedMeansOfTheMembers() {
        float[][] points = {Vectors.unit(1, 0, 0), Vectors.unit(0, 1, 0), Vectors.unit(0, 0, 1), Vectors.unit(3, 4, 0)};
        float[][] centres = CompleteLinkage.representatives(points,
                List.of(List.of(0, 1), List.of(2), List.of(0, 1, 3)));
        Vectors.assertClose(Vectors.unit(1, 1, 0), centres[0], 1e-6, "mean of x and y");
        Vectors.assertClose(points[2], centres[1], 0, "a singleton is itself");
        assertNotSame(points[2], centres[1]);
        // (1, 0, 0) + (0, 1, 0) + (0.6, 0.8, 0) = (1.6, 1.8, 0)
        Vectors.assertClose(Vectors.unit(1.6, 1.8, 0), centres[2], 1e-6, "mean of three");
        assertEquals(1, Vectors.dot(centres[2], centres[2]), 1e-6);
    }

    /**
     * The definition (methods.md §2.3): start from singletons, repeatedly merge the two clusters whose largest member
     * distance {@code 1 − aᵀb} is smallest (ties: the lowest pair of cluster positions), until {@code target} are left.
     * O(n³) and obviously right.
     */
    static List<List<Integer>> bruteForce(float[][] points, int target) {
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            clusters.add(new ArrayList<>(List.of(i)));
        }
        while (clusters.size() > target) {
            int bestA = -1;
            int bestB = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double linkage = Double.NEGATIVE_INFINITY;
                    for (int i : clusters.get(a)) {
                        for (int j : clusters.get(b)) {
                            linkage = Math.max(linkage, 1 - Vectors.dot(points[i], points[j]));
                        }
                    }
                    if (linkage < best) {
                        best = linkage;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            clusters.get(bestA).addAll(clusters.remove(bestB));
        }
        return clusters;
    }

    private static Set<Set<Integer>> asSets(List<List<Integer>> clusters) {
        Set<Set<Integer>> sets = new HashSet<>();
        clusters.forEach(c -> sets.add(new HashSet<>(c)));
        return sets;
    }
}
