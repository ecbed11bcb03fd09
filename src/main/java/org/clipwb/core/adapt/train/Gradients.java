package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Gradient bookkeeping the optimizers share. */
final class Gradients {
    private Gradients() {
    }

    /**
     * The parameter's values without its autograd history (PyTorch's {@code detach()}: the same storage), for the
     * optimizers' in-place updates, which PyTorch refuses on a leaf that requires gradients while grad mode is on.
     * Grad mode is per thread and on by default; DJL turns it off only on the thread that started the engine, so a
     * run on any other thread would fail at its first step. (PyTorch's optimizers step under {@code no_grad}.)
     */
    static NDArray valuesOf(NDArray parameter) {
        return parameter.stopGradient();
    }

    /** Zeroes a parameter's accumulated gradient. */
    static void clear(NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            gradient.set(new NDIndex("..."), 0);
        }
    }
}
