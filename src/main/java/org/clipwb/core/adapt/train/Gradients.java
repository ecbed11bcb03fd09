package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * Gradient bookkeeping of everything that trains: in-place writes to parameters, clearing their gradients, and keeping
 * optimizer state alive across scopes.
 */
public final class Gradients {
    private Gradients() {
    }

    /**
     * The parameter's values without its autograd history (PyTorch's {@code detach()}: the same storage), for in-place
     * writes to it (optimizer steps, restored checkpoints), which PyTorch refuses on a leaf that requires gradients while grad mode is on.
     * Grad mode is per thread and on by default; DJL turns it off only on the thread that started the engine, so a
     * run on any other thread would fail at its first step. (PyTorch's optimizers step under {@code no_grad}.)
     */
    public static NDArray valuesOf(NDArray parameter) {
        return parameter.stopGradient();
    }

    /** Optimizer state, which outlives any {@link NDScope} the caller opened around a step. */
    static NDArray kept(NDArray state) {
        NDScope.unregister(state);
        return state;
    }

    /** Zeroes a parameter's accumulated gradient. */
    static void clear(NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            gradient.set(new NDIndex("..."), 0);
        }
    }
}
