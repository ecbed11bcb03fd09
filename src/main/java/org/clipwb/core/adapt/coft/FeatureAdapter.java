package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.clipwb.core.model.Scalars;

/**
 * CLIP-Adapter on the image feature (methods.md §1.4), the adapter option of §4.4's visual module:
 * {@code f' = α·A(f) + (1−α)·f} with {@code A = ReLU ∘ Linear(D/4 → D) ∘ ReLU ∘ Linear(D → D/4)}, no biases. The
 * linear layers start as PyTorch's {@code nn.Linear} does, U(−1/√in, 1/√in).
 */
final class FeatureAdapter {
    private static final int REDUCTION = 4;

    private final NDArray down;
    private final NDArray up;
    private final double ratio;

    FeatureAdapter(NDArray down, NDArray up, double ratio) {
        this.down = down;
        this.up = up;
        this.ratio = ratio;
    }

    static FeatureAdapter initialise(NDManager manager, SplittableRandom random, int dim, double ratio) {
        int hidden = Math.max(1, dim / REDUCTION);
        NDArray down = CoftArrays.uniform(manager, random, 1 / Math.sqrt(dim), hidden, dim);
        NDArray up = CoftArrays.uniform(manager, random, 1 / Math.sqrt(hidden), dim, hidden);
        return new FeatureAdapter(CoftArrays.parameter(manager, down, true), CoftArrays.parameter(manager, up, true),
                ratio);
    }

    /** The adapted raw features [B, D]. */
    NDArray apply(NDArray features) {
        NDArray hidden = Activation.relu(features.matMul(down.transpose()));
        NDArray adapted = Activation.relu(hidden.matMul(up.transpose()));
        return Scalars.mul(adapted, ratio).add(Scalars.mul(features, 1 - ratio));
    }

    /** The trainable arrays by name. */
    Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("adapter.down", down);
        out.put("adapter.up", up);
        return out;
    }

    /** A copy with its own arrays. */
    FeatureAdapter copy(NDManager manager, boolean trainable) {
        return new FeatureAdapter(CoftArrays.parameter(manager, down, trainable),
                CoftArrays.parameter(manager, up, trainable), ratio);
    }
}
