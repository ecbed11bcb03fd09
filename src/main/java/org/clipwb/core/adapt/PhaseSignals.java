package org.clipwb.core.adapt;

import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * What a phase concluded about every target image, for inspection: the pseudo-label (predicted class), its
 * confidence, whether the phase kept it to train on, and the method's own per-image signals (CoFT's S⁺ and S⁻ per
 * class and p_clean, which model generated and which validated a label; LLU's α; LatteCLIP's mixer weights), each a
 * tensor whose first axis is the image.
 *
 * @param phase the phase's id
 * @param order the phase's position in the run, from 0, so that histories read in order
 * @param predicted the pseudo-label of each image [N]
 * @param confidence its confidence [N]
 * @param kept whether the phase kept the image's label to train on [N]
 * @param extras the method's per-image signals by name, each [N, ...]
 */
public record PhaseSignals(String phase, int order, int[] predicted, float[] confidence, boolean[] kept,
        Map<String, Tensor> extras) {

    public PhaseSignals {
        if (confidence.length != predicted.length || kept.length != predicted.length) {
            throw new IllegalArgumentException("predicted, confidence and kept must cover the same images");
        }
        for (Map.Entry<String, Tensor> extra : extras.entrySet()) {
            if (extra.getValue().shape()[0] != predicted.length) {
                throw new IllegalArgumentException("signal " + extra.getKey() + " covers " + extra.getValue().shape()[0]
                        + " images, not " + predicted.length);
            }
        }
        extras = Map.copyOf(extras);
    }

    /** Number of images. */
    public int size() {
        return predicted.length;
    }

    /** Number of kept labels. */
    public int keptCount() {
        int count = 0;
        for (boolean k : kept) {
            count += k ? 1 : 0;
        }
        return count;
    }

    /** One image's row of a per-image signal, when the phase recorded it. */
    public Optional<float[]> extra(String name, int image) {
        Tensor tensor = extras.get(name);
        if (tensor == null) {
            return Optional.empty();
        }
        int width = tensor.values().length / predicted.length;
        float[] row = new float[width];
        System.arraycopy(tensor.values(), image * width, row, 0, width);
        return Optional.of(row);
    }
}
