package org.clipwb.core.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * t-SNE (van der Maaten and Hinton, JMLR 2008) computed exactly, O(N²) per iteration, for a 2-D embedding map.
 *
 * <p>Why exact and written here: no maintained Java t-SNE or UMAP library with a licence that suits the project is
 * on Maven Central here (Smile, the one candidate, is GPL-3.0 from 3.0 on), and the Barnes–Hut approximation's
 * quadtree is much more code to trust. Exact t-SNE is about 100 lines that follow the paper line by line; being
 * O(N²) per iteration, it runs on a seeded sample of a large set (at most {@link #MAX_POINTS}; the dataset view
 * takes 1,000) while PCA shows every image.
 *
 * <p>The optimisation is the reference implementation's: perplexity-calibrated Gaussian affinities, symmetrised;
 * Student-t similarities in the map; early exaggeration 12 for the first 250 iterations; momentum 0.5 then 0.8;
 * per-coordinate gains, and scikit-learn's automatic learning rate max(N / 12 / 4, 50) (the fixed 200 of the reference
 * flings points out of their clusters on maps of a few dozen points).
 */
public final class ExactTsne {
    /** The most points one map computes: its four N × N matrices of doubles then stay within 128 MB. */
    public static final int MAX_POINTS = 2000;
    private static final int EXAGGERATION_ITERATIONS = 250;
    private static final double EXAGGERATION = 12;
    private static final double MIN_GAIN = 0.01;
    private static final int PERPLEXITY_SEARCH_STEPS = 50;

    /** Told after every iteration. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} iterations are finished. */
        void iteration(int done, int total);
    }

    private ExactTsne() {
    }

    /**
     * The 2-D map [N][2] of {@code points} [N][D].
     *
     * @param perplexity the effective number of neighbours (5–50; below N)
     * @param iterations gradient steps (the reference uses 1000; the map is unsettled for a while after the early exaggeration ends at 250)
     * @param cancelled asked every iteration; when true the computation stops with a {@link CancellationException}
     */
    public static float[][] embed(float[][] points, double perplexity, int iterations, long seed, Progress progress,
            BooleanSupplier cancelled) {
        int n = points.length;
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("exact t-SNE of " + n + " points would take too long; subsample to at "
                    + "most " + MAX_POINTS);
        }
        if (n < 2) {
            throw new IllegalArgumentException("t-SNE needs at least two points, got " + n);
        }
        if (!(perplexity >= 1 && perplexity < n)) {
            throw new IllegalArgumentException("perplexity must lie in [1, " + n + "), got " + perplexity);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("t-SNE needs at least one iteration, got " + iterations);
        }
        double[] p = affinities(points, perplexity);
        double[] y = new double[n * 2];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < y.length; i++) {
            y[i] = gaussian(random) * 1e-4;
        }
        double[] velocity = new double[n * 2];
        double[] gains = new double[n * 2];
        Arrays.fill(gains, 1);
        double[] gradient = new double[n * 2];
        double[] numerators = new double[n * n];
        double learningRate = Math.max(n / EXAGGERATION / 4, 50);
        for (int iteration = 0; iteration < iterations; iteration++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("t-SNE cancelled after " + iteration + " iterations");
            }
            double exaggeration = iteration < EXAGGERATION_ITERATIONS ? EXAGGERATION : 1;
            double momentum = iteration < EXAGGERATION_ITERATIONS ? 0.5 : 0.8;
            gradient(p, y, numerators, exaggeration, gradient);
            double meanX = 0;
            double meanY = 0;
            for (int k = 0; k < y.length; k++) {
                boolean sameSign = gradient[k] > 0 == velocity[k] > 0;
                gains[k] = Math.max(MIN_GAIN, sameSign ? gains[k] * 0.8 : gains[k] + 0.2);
                velocity[k] = momentum * velocity[k] - learningRate * gains[k] * gradient[k];
                y[k] += velocity[k];
            }
            for (int i = 0; i < n; i++) {
                meanX += y[2 * i];
                meanY += y[2 * i + 1];
            }
            for (int i = 0; i < n; i++) {
                y[2 * i] -= meanX / n;
                y[2 * i + 1] -= meanY / n;
            }
            progress.iteration(iteration + 1, iterations);
        }
        float[][] map = new float[n][2];
        for (int i = 0; i < n; i++) {
            map[i][0] = (float) y[2 * i];
            map[i][1] = (float) y[2 * i + 1];
        }
        return map;
    }

    /**
     * A seeded sample of at most {@code max} of {@code n} indices, ascending (all of them when {@code n ≤ max}): the
     * images a map computes t-SNE for when there are more than {@link #MAX_POINTS}.
     */
    public static int[] sample(int n, int max, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= max) {
            return all;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] chosen = Arrays.copyOf(all, max);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The symmetrised affinities P [N·N] (row-major), each row's Gaussian calibrated to the perplexity. */
    static double[] affinities(float[][] points, double perplexity) {
        int n = points.length;
        double[] distances = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double sum = 0;
                for (int d = 0; d < points[i].length; d++) {
                    double diff = points[i][d] - points[j][d];
                    sum += diff * diff;
                }
                distances[i * n + j] = sum;
                distances[j * n + i] = sum;
            }
        }
        double[] conditional = new double[n * n];
        double targetEntropy = Math.log(perplexity);
        for (int i = 0; i < n; i++) {
            double beta = 1;
            double low = 0;
            double high = Double.POSITIVE_INFINITY;
            for (int step = 0; step < PERPLEXITY_SEARCH_STEPS; step++) {
                double entropy = rowEntropy(distances, i, n, beta, conditional);
                if (Math.abs(entropy - targetEntropy) < 1e-5) {
                    break;
                }
                if (entropy > targetEntropy) {
                    low = beta;
                    beta = high == Double.POSITIVE_INFINITY ? beta * 2 : (beta + high) / 2;
                } else {
                    high = beta;
                    beta = (beta + low) / 2;
                }
            }
            rowEntropy(distances, i, n, beta, conditional);
        }
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = Math.max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
            }
            p[i * n + i] = 0;
        }
        return p;
    }

    /** Fills row i of P(j|i) for precision {@code beta} and returns its entropy (nats). */
    private static double rowEntropy(double[] distances, int i, int n, double beta, double[] conditional) {
        // Distances are shifted by the row's smallest, which leaves P unchanged and keeps exp from underflowing.
        double nearest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                nearest = Math.min(nearest, distances[i * n + j]);
            }
        }
        double sum = 0;
        double weighted = 0;
        for (int j = 0; j < n; j++) {
            double value = j == i ? 0 : Math.exp(-(distances[i * n + j] - nearest) * beta);
            conditional[i * n + j] = value;
            sum += value;
            weighted += (distances[i * n + j] - nearest) * value;
        }
        for (int j = 0; j < n; j++) {
            conditional[i * n + j] /= sum;
        }
        return Math.log(sum) + beta * weighted / sum;
    }

    /**
     * ∂KL/∂y_i = 4 Σ_j (p_ij − q_ij)(1 + |y_i − y_j|²)⁻¹ (y_i − y_j), into {@code gradient}. P and the Student-t
     * kernel are symmetric, so each pair is visited once and pushes both of its points.
     */
    private static void gradient(double[] p, double[] y, double[] numerators, double exaggeration, double[] gradient) {
        int n = y.length / 2;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = y[2 * i] - y[2 * j];
                double dy = y[2 * i + 1] - y[2 * j + 1];
                double value = 1 / (1 + dx * dx + dy * dy);
                numerators[i * n + j] = value;
                sum += 2 * value;
            }
        }
        Arrays.fill(gradient, 0);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double numerator = numerators[i * n + j];
                double force = 4 * (exaggeration * p[i * n + j] - Math.max(numerator / sum, 1e-12)) * numerator;
                double fx = force * (y[2 * i] - y[2 * j]);
                double fy = force * (y[2 * i + 1] - y[2 * j + 1]);
                gradient[2 * i] += fx;
                gradient[2 * i + 1] += fy;
                gradient[2 * j] -= fx;
                gradient[2 * j + 1] -= fy;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
