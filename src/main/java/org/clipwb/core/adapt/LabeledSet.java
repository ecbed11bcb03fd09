package org.clipwb.core.adapt;

import java.util.Arrays;
import java.util.List;

/**
 * Normalised image embeddings with a class index per image (-1 where unknown), named by their keys (a path relative
 * to the image folder, or an absolute path for images outside it). Used for the unlabeled target (labels are then
 * its evaluation labels), the labeled shots and a held-out test set.
 */
public record LabeledSet(List<String> keys, float[][] embeddings, int[] labels) {

    public LabeledSet {
        keys = List.copyOf(keys);
        if (keys.size() != embeddings.length || labels.length != embeddings.length) {
            throw new IllegalArgumentException(keys.size() + " keys, " + embeddings.length + " embeddings and "
                    + labels.length + " labels must be as many");
        }
    }

    /** A set with no images. */
    public static LabeledSet empty() {
        return new LabeledSet(List.of(), new float[0][], new int[0]);
    }

    /** Number of images. */
    public int size() {
        return embeddings.length;
    }

    /** Whether some image has a label. */
    public boolean hasLabels() {
        return Arrays.stream(labels).anyMatch(label -> label >= 0);
    }

    /** The images at {@code indices}, in that order. */
    public LabeledSet subset(int[] indices) {
        return new LabeledSet(Arrays.stream(indices).mapToObj(keys::get).toList(),
                Arrays.stream(indices).mapToObj(i -> embeddings[i]).toArray(float[][]::new),
                Arrays.stream(indices).map(i -> labels[i]).toArray());
    }
}
