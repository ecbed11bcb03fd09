package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * An optimizer whose whole state can be checkpointed, so that a resumed run continues exactly where it stopped.
 * Written here rather than taken from DJL because DJL's optimizers keep their state (momentum buffers, moment
 * estimates, step counts) private, which makes an exact resume impossible.
 */
public interface ParameterOptimizer {
    /**
     * Updates every parameter in place from its gradient, at learning rate {@code learningRate}, then zeroes the
     * gradient (PyTorch accumulates gradients across backward passes). Call it after the gradient collector has
     * closed (in-place updates of leaves are refused while gradients are recorded).
     */
    void step(Map<String, NDArray> parameters, double learningRate);

    /** The optimizer's state, by name, for a checkpoint. */
    Map<String, Tensor> state();

    /** Restores a state saved by {@link #state()}. */
    void restore(Map<String, Tensor> state);
}
