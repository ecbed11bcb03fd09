package org.clipwb.core.analysis;

/**
 * Counts of (evaluation label, predicted class) pairs over the images that have an evaluation label.
 *
 * @param counts counts[truth][predicted]
 */
public record ConfusionMatrix(int[][] counts) {

    /**
     * The matrix of {@code predicted} against {@code truth} (-1 = no evaluation label, skipped) over
     * {@code classCount} classes.
     */
    public static ConfusionMatrix of(int[] predicted, int[] truth, int classCount) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " labels");
        }
        int[][] counts = new int[classCount][classCount];
        for (int i = 0; i < predicted.length; i++) {
            if (truth[i] >= 0) {
                if (truth[i] >= classCount || predicted[i] < 0 || predicted[i] >= classCount) {
                    throw new IllegalArgumentException("image " + i + " has label " + truth[i] + " and prediction "
                            + predicted[i] + ", outside the " + classCount + " classes");
                }
                counts[truth[i]][predicted[i]]++;
            }
        }
        return new ConfusionMatrix(counts);
    }

    /** Number of classes. */
    public int classCount() {
        return counts.length;
    }

    /** Images counted (those with an evaluation label). */
    public int total() {
        int total = 0;
        for (int[] row : counts) {
            for (int count : row) {
                total += count;
            }
        }
        return total;
    }

    /** Images whose evaluation label is {@code truth}. */
    public int rowTotal(int truth) {
        int total = 0;
        for (int count : counts[truth]) {
            total += count;
        }
        return total;
    }

    /** Images of {@code truth} predicted as {@code predicted}. */
    public int count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** The fraction of counted images on the diagonal, NaN when none is counted. */
    public double accuracy() {
        int correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        int total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** The fraction of {@code truth}'s images predicted as {@code predicted}, NaN when the class has none. */
    public double rowFraction(int truth, int predicted) {
        int total = rowTotal(truth);
        return total == 0 ? Double.NaN : (double) counts[truth][predicted] / total;
    }
}
