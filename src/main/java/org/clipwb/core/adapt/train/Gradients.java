package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;

/** Gradient bookkeeping the optimizers share. */
final class Gradients {
    private Gradients() {
    }

    /**
     * Runs in-place updates of parameters with gradient recording off, as {@code torch.no_grad()} does, then restores
     * the thread's mode. PyTorch's mode is per thread and on by default; DJL turns it off only on the thread that
     * started the engine, so on any other thread (a window's worker) an in-place update of a parameter that requires
     * a gradient would be refused ("a leaf Variable that requires grad is being used in an in-place operation").
     */
    static void withoutRecording(Runnable updates) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            updates.run();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** Zeroes a parameter's accumulated gradient. */
    static void clear(NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            gradient.set(new NDIndex("..."), 0);
        }
    }
}
