package org.clipwb.core.adapt.llu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.clipwb.core.util.FloatRows;

/**
 * Agglomerative clustering of unit vectors with complete linkage and cosine distance {@code 1 − aᵀb}, down to a
 * target number of clusters, each represented by the normalised mean of its members (LLU §3.2, methods.md §2.3).
 *
 * <p>Hand-written because no Java library with a licence this project can ship offers it (Smile is GPL, ELKI
 * AGPL; Commons Math has no hierarchical clustering). It is the nearest-neighbour-chain algorithm, exact for
 * complete linkage and O(n²) in time and memory (Lance–Williams update {@code d(k, i∪j) = max(d(k,i), d(k,j))}).
 */
public final class CompleteLinkage {
    private CompleteLinkage() {
    }

    /** The clusters' member indices, in order of their smallest member. */
    public static List<List<Integer>> cluster(float[][] points, int clusters) {
        int n = points.length;
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(new ArrayList<>(List.of(i)));
        }
        if (n <= clusters) {
            return members;
        }
        float[] distance = cosineDistances(points);
        boolean[] active = new boolean[n];
        java.util.Arrays.fill(active, true);
        int remaining = n;
        Deque<Integer> chain = new ArrayDeque<>();
        while (remaining > clusters) {
            if (chain.isEmpty()) {
                chain.push(firstActive(active));
            }
            int a = chain.peek();
            Integer previous = chain.size() > 1 ? secondOf(chain) : null;
            int b = nearest(distance, active, n, a, previous);
            if (previous != null && b == previous) {
                chain.pop();
                chain.pop();
                int keep = Math.min(a, b);
                int drop = Math.max(a, b);
                for (int k = 0; k < n; k++) {
                    if (active[k] && k != keep && k != drop) {
                        float merged = Math.max(distance[keep * n + k], distance[drop * n + k]);
                        distance[keep * n + k] = merged;
                        distance[k * n + keep] = merged;
                    }
                }
                active[drop] = false;
                members.get(keep).addAll(members.get(drop));
                members.set(drop, null);
                remaining--;
            } else {
                chain.push(b);
            }
        }
        List<List<Integer>> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (active[i]) {
                List<Integer> cluster = new ArrayList<>(members.get(i));
                cluster.sort(null);
                result.add(cluster);
            }
        }
        return result;
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
