package org.clipwb.core.adapt.label;

import java.util.Arrays;

/**
 * Class-balanced pseudo-labels: zero-shot probabilities re-weighted per class, {@code p'(c|x) ∝ w_c · p(c|x)}, with the
 * weights {@code w} chosen so that the folder's mean of {@code p'} is uniform over the classes. This is the EM prior
 * update of Saerens, Latinne and Decaestecker (Neural Computation 2002) run toward a known uniform prior; it assumes
 * the folder holds roughly as many images of each class. A zero-shot classifier whose prompts favour some classes
 * (the demo model on fills-shifted predicts "dotted" for 9 of 600 images) otherwise gives almost no pseudo-label to
 * the others.
 */
public final class ClassPrior {
    /** Fixed-point iterations of the weights; they settle to float precision well before. */
    static final int ITERATIONS = 100;

    private ClassPrior() {
    }

    /** The rows of {@code probabilities} [N][C] re-weighted toward a uniform mean; each row still sums to 1. */
    public static float[][] uniform(float[][] probabilities) {
        int n = probabilities.length;
        if (n == 0) {
            return probabilities;
        }
        int classes = probabilities[0].length;
        double[] weights = new double[classes];
        Arrays.fill(weights, 1);
        double[][] adjusted = new double[n][classes];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double[] mean = new double[classes];
            reweight(probabilities, weights, adjusted);
            for (double[] row : adjusted) {
                for (int c = 0; c < classes; c++) {
                    mean[c] += row[c] / n;
                }
            }
            for (int c = 0; c < classes; c++) {
                weights[c] /= Math.max(mean[c] * classes, Double.MIN_NORMAL);
            }
        }
        reweight(probabilities, weights, adjusted);
        float[][] result = new float[n][classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                result[i][c] = (float) adjusted[i][c];
            }
        }
        return result;
    }

    private static void reweight(float[][] probabilities, double[] weights, double[][] into) {
        for (int i = 0; i < probabilities.length; i++) {
            double sum = 0;
            for (int c = 0; c < weights.length; c++) {
                into[i][c] = probabilities[i][c] * weights[c];
                sum += into[i][c];
            }
            for (int c = 0; c < weights.length; c++) {
                into[i][c] /= sum;
            }
        }
    }
}
