package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;

/** The losses the methods train with, each in one place. */
public final class Losses {
    private Losses() {
    }

    /**
     * Cross-entropy {@code CE(logits, y) = −Σ_c y_c · log softmax(logits)_c}, averaged over the batch (methods.md §0.3;
     * PyTorch's {@code F.cross_entropy} with one-hot targets). Targets may be soft: any rows that sum to 1.
     *
     * @param logits [B, C]
     * @param targets one-hot (or probability) rows [B, C]
     * @return the mean loss, a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }
}
