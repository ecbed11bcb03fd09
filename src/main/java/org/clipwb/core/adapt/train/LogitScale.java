package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** CLIP's learned log inverse temperature, as the methods that train it keep it in range. */
public final class LogitScale {
    /** The largest log scale, ln 100: the scale exp(logit_scale) never exceeds 100. */
    public static final float MAX = (float) Math.log(100);

    private LogitScale() {
    }

    /**
     * Clamps the parameter in place to [0, ln 100] after an optimizer step, as OpenCLIP's training loops do
     * ({@code logit_scale.clamp_(0, math.log(100))}; methods.md §3.3, LatteCLIP and its FLYP).
     */
    public static void clamp(NDArray logitScale) {
        try (NDArray values = Gradients.valuesOf(logitScale); NDArray clamped = values.clip(0, MAX)) {
            values.set(new NDIndex("..."), clamped);
        }
    }
}
