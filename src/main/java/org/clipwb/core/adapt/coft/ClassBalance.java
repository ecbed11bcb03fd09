package org.clipwb.core.adapt.coft;

/**
 * Class-balanced pseudo-labels [INFERRED]: CLIP's zero-shot probabilities on a shifted target favour some classes
 * (the demo model gives <i>dotted</i> to 9 of 600 fills, a quarter of which are dotted). The Sinkhorn–Knopp
 * iteration rescales the columns and rows of the probability matrix until every class receives the same total
 * mass and every image still sums to one, i.e. it adds one log-prior per class to the logits so that the target's
 * predicted classes are as even as the data allow (the equipartition of SwAV and of self-labelling; a balanced target
 * is assumed, as in UPL's top-K per class).
 */
final class ClassBalance {
    /** Iterations of the row and column normalisation (the row sums are exact after the last one). */
    static final int ITERATIONS = 100;

    private ClassBalance() {
    }

    /**
     * The balanced probabilities: alternately each column divided by its sum times N/C and each row by its sum,
     * {@link #ITERATIONS} times; rows sum to one. Zero columns stay zero.
     */
    static float[][] sinkhorn(float[][] probabilities) {
        int n = probabilities.length;
        if (n == 0) {
            return probabilities;
        }
        int classes = probabilities[0].length;
        double[][] q = new double[n][classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                q[i][c] = probabilities[i][c];
            }
        }
        double share = (double) n / classes;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (int c = 0; c < classes; c++) {
                double column = 0;
                for (double[] row : q) {
                    column += row[c];
                }
                if (column > 0) {
                    for (double[] row : q) {
                        row[c] *= share / column;
                    }
                }
            }
            for (double[] row : q) {
                double sum = 0;
                for (double value : row) {
                    sum += value;
                }
                for (int c = 0; c < classes && sum > 0; c++) {
                    row[c] /= sum;
                }
            }
        }
        float[][] out = new float[n][classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                out[i][c] = (float) q[i][c];
            }
        }
        return out;
    }
}
