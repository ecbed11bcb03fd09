package org.clipwb.core.analysis;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The confidences of every image, binned for a histogram (split into right and wrong predictions when evaluation
 * labels exist), and what a confidence threshold lets through: how many images pass (coverage) and, with evaluation
 * labels, how accurate the passing labels are. The pseudo-labelling trade-off in one object: a higher threshold
 * keeps fewer labels that are more often right.
 */
public final class ConfidenceHistogram {
    private final int[] correctCounts;
    private final int[] wrongCounts;
    private final int[] unlabeledCounts;
    /** Confidences in ascending order, and whether each was right (1), wrong (0) or unlabeled (-1). */
    private final float[] sortedConfidence;
    /** Right predictions among the labeled images at sorted position ≥ i, and labeled images there. */
    private final int[] correctFrom;
    private final int[] labeledFrom;

    /** What passes a threshold. */
    public record Coverage(double threshold, int passing, int total, OptionalDouble accuracy) {
        /** The fraction of images that pass, NaN when there are none. */
        public double fraction() {
            return total == 0 ? Double.NaN : (double) passing / total;
        }
    }

    /**
     * Bins {@code confidence} into {@code binCount} equal-width bins over [0, 1].
     *
     * @param truth the evaluation label of each image, -1 where there is none
     */
    public ConfidenceHistogram(float[] confidence, int[] predicted, int[] truth, int binCount) {
        if (binCount < 1) {
            throw new IllegalArgumentException("a histogram needs at least one bin, got " + binCount);
        }
        if (confidence.length != predicted.length || truth.length != predicted.length) {
            throw new IllegalArgumentException("confidence, predictions and labels must cover the same images");
        }
        int n = confidence.length;
        correctCounts = new int[binCount];
        wrongCounts = new int[binCount];
        unlabeledCounts = new int[binCount];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            int bin = binOf(confidence[i], binCount);
            if (truth[i] < 0) {
                unlabeledCounts[bin]++;
            } else if (truth[i] == predicted[i]) {
                correctCounts[bin]++;
            } else {
                wrongCounts[bin]++;
            }
        }
        Arrays.sort(order, (a, b) -> Float.compare(confidence[a], confidence[b]));
        sortedConfidence = new float[n];
        correctFrom = new int[n + 1];
        labeledFrom = new int[n + 1];
        for (int k = n - 1; k >= 0; k--) {
            int i = order[k];
            sortedConfidence[k] = confidence[i];
            labeledFrom[k] = labeledFrom[k + 1] + (truth[i] >= 0 ? 1 : 0);
            correctFrom[k] = correctFrom[k + 1] + (truth[i] >= 0 && truth[i] == predicted[i] ? 1 : 0);
        }
    }

    /** The bin of a confidence among {@code binCount} equal-width bins over [0, 1] (1 falls in the last). */
    static int binOf(float confidence, int binCount) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("a confidence must lie in [0, 1], got " + confidence);
        }
        return Math.min(binCount - 1, (int) (confidence * binCount));
    }

    /** Number of bins. */
    public int binCount() {
        return correctCounts.length;
    }

    /** Images in bin {@code b} whose prediction matches the evaluation label. */
    public int correct(int b) {
        return correctCounts[b];
    }

    /** Images in bin {@code b} whose prediction differs from the evaluation label. */
    public int wrong(int b) {
        return wrongCounts[b];
    }

    /** Images in bin {@code b} without an evaluation label. */
    public int unlabeled(int b) {
        return unlabeledCounts[b];
    }

    /** All images in bin {@code b}. */
    public int count(int b) {
        return correctCounts[b] + wrongCounts[b] + unlabeledCounts[b];
    }

    /** Whether some image has an evaluation label. */
    public boolean hasLabels() {
        return labeledFrom[0] > 0;
    }

    /**
     * The images whose confidence is at least {@code threshold} (compared in float precision, as confidences are
     * stored), and the accuracy of their labels when known.
     */
    public Coverage coverage(double threshold) {
        float bar = (float) threshold;
        int n = sortedConfidence.length;
        int low = 0;
        int high = n;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sortedConfidence[mid] < bar) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        int labeled = labeledFrom[low];
        return new Coverage(threshold, n - low, n,
                labeled == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) correctFrom[low] / labeled));
    }
}
