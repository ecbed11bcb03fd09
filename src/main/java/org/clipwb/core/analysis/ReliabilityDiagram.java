package org.clipwb.core.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration of confidences against evaluation labels: images binned by confidence into equal-width bins over
 * [0, 1], each bin's mean confidence against the accuracy of its predictions, and the expected calibration error
 * (the count-weighted mean gap).
 */
public record ReliabilityDiagram(List<Bin> bins, int counted) {

    /**
     * One confidence bin [lower, upper) (the last includes 1).
     *
     * @param meanConfidence the mean confidence of its images, NaN when empty
     * @param accuracy the fraction of its images predicted right, NaN when empty
     */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {
        /** The bin's gap |accuracy − confidence|, 0 when empty. */
        public double gap() {
            return count == 0 ? 0 : Math.abs(accuracy - meanConfidence);
        }
    }

    /**
     * The diagram of {@code binCount} bins over the images with an evaluation label ({@code truth} −1 skipped).
     */
    public static ReliabilityDiagram of(float[] confidence, int[] predicted, int[] truth, int binCount) {
        if (binCount < 1) {
            throw new IllegalArgumentException("a reliability diagram needs at least one bin, got " + binCount);
        }
        if (confidence.length != predicted.length || truth.length != predicted.length) {
            throw new IllegalArgumentException("confidence, predictions and labels must cover the same images");
        }
        int[] counts = new int[binCount];
        int[] correct = new int[binCount];
        double[] confidenceSums = new double[binCount];
        int counted = 0;
        for (int i = 0; i < confidence.length; i++) {
            if (truth[i] < 0) {
                continue;
            }
            int bin = ConfidenceHistogram.binOf(confidence[i], binCount);
            counts[bin]++;
            confidenceSums[bin] += confidence[i];
            correct[bin] += predicted[i] == truth[i] ? 1 : 0;
            counted++;
        }
        List<Bin> bins = new ArrayList<>(binCount);
        for (int b = 0; b < binCount; b++) {
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, counts[b],
                    counts[b] == 0 ? Double.NaN : confidenceSums[b] / counts[b],
                    counts[b] == 0 ? Double.NaN : (double) correct[b] / counts[b]));
        }
        return new ReliabilityDiagram(List.copyOf(bins), counted);
    }

    /** The expected calibration error: Σ (count / counted) · gap, NaN when no image has a label. */
    public double expectedCalibrationError() {
        if (counted == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (Bin bin : bins) {
            sum += (double) bin.count() / counted * bin.gap();
        }
        return sum;
    }
}
