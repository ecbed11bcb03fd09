package org.clipwb.core.adapt.llu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.clipwb.core.util.FloatRows;

/**
 * Agglomerative clustering of unit vectors with complete linkage and cosine distance {@code 1 − aᵀb}, down to a
 * target number of clusters, each represented by the normalised mean of its members (LLU §3.2, methods.md §2.3).
 *
 * <p>Hand-written because no Java library with a licence this project can ship offers it (Smile is GPL, ELKI
 * AGPL; Commons Math has no hierarchical clustering). It is the nearest-neighbour-chain algorithm, exact for
 * complete linkage and O(n²) in time and memory (Lance–Williams update {@code d(k, i∪j) = max(d(k,i), d(k,j))}); the
 * chain builds the whole dendrogram, and the clusters are what its n − target lowest merges join.
 */
public final class CompleteLinkage {
    private CompleteLinkage() {
    }

    /** The clusters' member indices, in order of their smallest member. */
    public static List<List<Integer>> cluster(float[][] points, int clusters) {
        if (clusters < 1) {
            throw new IllegalArgumentException("cannot cluster into " + clusters + " clusters");
        }
        int n = points.length;
        if (n <= clusters) {
            List<List<Integer>> singletons = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                singletons.add(new ArrayList<>(List.of(i)));
            }
            return singletons;
        }
        // The chain finds the merges in its own order, not by height: cutting it after n − clusters merges would
        // leave a partition the greedy definition never makes. The whole dendrogram is built, then its lowest
        // merges applied (heights never decrease up a complete-linkage tree; the sort is stable, so a child merge
        // of equal height still comes before its parent), as SciPy's linkage does.
        List<Merge> merges = dendrogram(points);
        merges.sort(Comparator.comparingDouble(Merge::height));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (Merge merge : merges.subList(0, n - clusters)) {
            int a = root(parent, merge.a());
            int b = root(parent, merge.b());
            parent[Math.max(a, b)] = Math.min(a, b);
        }
        Map<Integer, List<Integer>> byRoot = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byRoot.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(byRoot.values());
    }

    /** One merge of the dendrogram: a member of each of the two clusters, and their linkage distance. */
    private record Merge(int a, int b, float height) {
    }

    /** The n − 1 merges of the complete dendrogram, in the order the nearest-neighbour chain finds them. */
    private static List<Merge> dendrogram(float[][] points) {
        int n = points.length;
        float[] distance = cosineDistances(points);
        boolean[] active = new boolean[n];
        java.util.Arrays.fill(active, true);
        List<Merge> merges = new ArrayList<>();
        Deque<Integer> chain = new ArrayDeque<>();
        while (merges.size() < n - 1) {
            if (chain.isEmpty()) {
                chain.push(firstActive(active));
            }
            int a = chain.peek();
            Integer previous = chain.size() > 1 ? secondOf(chain) : null;
            int b = nearest(distance, active, n, a, previous);
            if (previous != null && b == previous) {
                chain.pop();
                chain.pop();
                // Cluster slot i always holds point i, so the slots name the merged clusters by a member each.
                int keep = Math.min(a, b);
                int drop = Math.max(a, b);
                merges.add(new Merge(keep, drop, distance[a * n + b]));
                for (int k = 0; k < n; k++) {
                    if (active[k] && k != keep && k != drop) {
                        float merged = Math.max(distance[keep * n + k], distance[drop * n + k]);
                        distance[keep * n + k] = merged;
                        distance[k * n + keep] = merged;
                    }
                }
                active[drop] = false;
            } else {
                chain.push(b);
            }
        }
        return merges;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** The normalised mean of each cluster's members [clusters][D]. */
    public static float[][] representatives(float[][] points, List<List<Integer>> clusters) {
        float[][] centres = new float[clusters.size()][];
        for (int c = 0; c < centres.length; c++) {
            float[] sum = new float[points[0].length];
            for (int member : clusters.get(c)) {
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += points[member][d];
                }
            }
            double norm = 0;
            for (float v : sum) {
                norm += v * v;
            }
            float inverse = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < sum.length; d++) {
                sum[d] *= inverse;
            }
            centres[c] = sum;
        }
        return centres;
    }

    /** {@code 1 − aᵀb} for every pair, row-major [n × n], computed as one matrix product. */
    private static float[] cosineDistances(float[][] points) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(FloatRows.join(points), new Shape(points.length, points[0].length));
            return x.matMul(x.transpose()).neg().add(1).toFloatArray();
        }
    }

    private static int firstActive(boolean[] active) {
        for (int i = 0; i < active.length; i++) {
            if (active[i]) {
                return i;
            }
        }
        throw new IllegalStateException("no active cluster");
    }

    private static int secondOf(Deque<Integer> chain) {
        var iterator = chain.iterator();
        iterator.next();
        return iterator.next();
    }

    /** The active cluster nearest to {@code a}; on a tie the chain's previous element wins, which guarantees progress. */
    private static int nearest(float[] distance, boolean[] active, int n, int a, Integer previous) {
        int best = -1;
        float bestDistance = Float.POSITIVE_INFINITY;
        if (previous != null) {
            best = previous;
            bestDistance = distance[a * n + previous];
        }
        for (int k = 0; k < n; k++) {
            if (active[k] && k != a && distance[a * n + k] < bestDistance) {
                best = k;
                bestDistance = distance[a * n + k];
            }
        }
        return best;
    }
}
