package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.Collection;

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

    /**
     * A joint gradient norm above this is not a step's gradient but a corrupted backward pass: with this engine
     * (DJL 0.35, PyTorch 2.7 CPU, several threads) about one backward pass of the demo model's text tower in a few
     * hundred returns gradients of 1e20 to 1e33 or NaN for the same inputs that otherwise give at most ~100, which
     * ruins the prompts or the weights in one step. Demo pretraining skips non-finite steps for the same reason.
     */
    public static final double CORRUPT_GRADIENT_NORM = 1e6;

    /**
     * Vets a step's gradients: false when their joint L2 norm is not finite or above {@link #CORRUPT_GRADIENT_NORM}
     * (the gradients are then zeroed and the step must be skipped); otherwise true, the gradients scaled to a joint
     * norm of at most {@code maxNorm} as PyTorch's {@code clip_grad_norm_} does ({@code maxNorm} 0: not clipped).
     * Call inside the step's scope.
     */
    public static boolean vet(Collection<NDArray> parameters, double maxNorm) {
        double squares = 0;
        for (NDArray parameter : parameters) {
            squares += parameter.getGradient().square().sum().getFloat();
        }
        double norm = Math.sqrt(squares);
        if (!(norm <= CORRUPT_GRADIENT_NORM)) {
            parameters.forEach(parameter -> parameter.getGradient().set(new NDIndex("..."), 0));
            return false;
        }
        if (maxNorm > 0 && norm > maxNorm) {
            float factor = (float) (maxNorm / (norm + 1e-6));
            parameters.forEach(parameter -> parameter.getGradient().muli(factor));
        }
        return true;
    }
}
