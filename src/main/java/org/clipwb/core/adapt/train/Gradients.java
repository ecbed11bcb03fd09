package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Gradient bookkeeping the optimizers share. */
final class Gradients {
    private Gradients() {
    }

    /** Zeroes a parameter's accumulated gradient. */
    static void clear(NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            gradient.set(new NDIndex("..."), 0);
        }
    }
}
