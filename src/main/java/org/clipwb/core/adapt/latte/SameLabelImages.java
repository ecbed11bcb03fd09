package org.clipwb.core.adapt.latte;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The target images grouped by zero-shot label, for LatteCLIP's random draws of images that share an image's label
 * (methods.md §3.2 P4, §3.3). The draws take their randomness from the caller, so a seeded run repeats them.
 */
public final class SameLabelImages {
    private final int[] labels;
    private final int[][] imagesByLabel;

    /** @param zeroShotLabels the zero-shot label c_zs of every image, by image index */
    public SameLabelImages(int[] zeroShotLabels) {
        this.labels = zeroShotLabels.clone();
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        this.imagesByLabel = IntStream.range(0, classes)
                .mapToObj(c -> IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray())
                .toArray(int[][]::new);
    }

    /**
     * The image whose group description accompanies {@code anchor} in a training step: uniform over the images with
     * the anchor's label, the anchor itself included, drawn anew on every call (§3.3; {@code data.py} draws
     * {@code np.random.choice(class_to_image_ids[c])} each time a sample is loaded).
     */
    public int partner(int anchor, SplittableRandom random) {
        int[] candidates = imagesByLabel[labels[anchor]];
        return candidates[random.nextInt(candidates.length)];
    }

    /** {@link #partner} of each anchor of a batch, drawn in order. */
    public int[] partners(int[] anchors, SplittableRandom random) {
        return Arrays.stream(anchors).map(anchor -> partner(anchor, random)).toArray();
    }

    /**
     * The images of {@code anchor}'s group picture, in the order drawn (which is their place in the grid): {@code size}
     * distinct images with the anchor's label, or, when the label has fewer, {@code size} drawn with replacement; the
     * anchor is not forced in (§3.2 P4, {@code np.random.choice(…, n_images, replace=len < n_images)}).
     */
    public int[] group(int anchor, int size, SplittableRandom random) {
        int[] candidates = imagesByLabel[labels[anchor]];
        if (candidates.length < size) {
            return IntStream.range(0, size).map(i -> candidates[random.nextInt(candidates.length)]).toArray();
        }
        int[] shuffled = candidates.clone();
        for (int i = 0; i < size; i++) { // the first `size` steps of a Fisher–Yates shuffle
            int j = i + random.nextInt(shuffled.length - i);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        return Arrays.copyOf(shuffled, size);
    }
}
