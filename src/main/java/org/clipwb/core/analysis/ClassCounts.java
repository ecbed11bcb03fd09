package org.clipwb.core.analysis;

import java.util.Optional;

/**
 * Per class: how many images are predicted as it, how many of those a phase kept to train on (when a run's signals
 * are shown), and how many carry it as their evaluation label (when there are evaluation labels). Shows a
 * pseudo-labelling run's class imbalance at a glance.
 *
 * @param predicted images predicted as each class
 * @param kept of those, the kept ones, when known
 * @param labeled images whose evaluation label is each class, when any image has one
 */
public record ClassCounts(int[] predicted, Optional<int[]> kept, Optional<int[]> labeled) {

    /**
     * Counts over {@code classCount} classes.
     *
     * @param keptMask whether each image was kept, or null when unknown
     * @param truth evaluation labels, -1 where there is none
     */
    public static ClassCounts of(int[] predictions, boolean[] keptMask, int[] truth, int classCount) {
        if (truth.length != predictions.length || keptMask != null && keptMask.length != predictions.length) {
            throw new IllegalArgumentException("predictions, kept flags and labels must cover the same images");
        }
        int[] predicted = new int[classCount];
        int[] kept = new int[classCount];
        int[] labeled = new int[classCount];
        boolean anyLabel = false;
        for (int i = 0; i < predictions.length; i++) {
            predicted[predictions[i]]++;
            if (keptMask != null && keptMask[i]) {
                kept[predictions[i]]++;
            }
            if (truth[i] >= 0) {
                labeled[truth[i]]++;
                anyLabel = true;
            }
        }
        return new ClassCounts(predicted, keptMask == null ? Optional.empty() : Optional.of(kept),
                anyLabel ? Optional.of(labeled) : Optional.empty());
    }

    /** Number of classes. */
    public int classCount() {
        return predicted.length;
    }
}
