package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import org.clipwb.core.model.Scalars;

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

    /**
     * CLIP's symmetric contrastive loss over a batch of pairs, {@code ½[CE(s·I·Tᵀ, arange(B)) + CE(s·T·Iᵀ, arange(B))]}
     * (OpenCLIP's {@code ClipLoss}; methods.md §1.6 FLYP, §3.3 LatteCLIP): row {@code i} of {@code texts} is the
     * positive of image {@code i} and every other row a negative, even one equal to it (a second image of the same
     * class: FLYP's {@code flyp_loss.py} masks nothing).
     *
     * @param images normalised image features I [B, D]
     * @param texts the texts paired with them T [B, D], row by row
     * @param scale the inverse temperature s = exp(logit_scale), a scalar (learned: gradients flow into it)
     * @return the mean loss, a scalar
     */
    public static NDArray symmetricContrastive(NDArray images, NDArray texts, NDArray scale) {
        NDArray imageToText = images.matMul(texts.transpose()).mul(scale);
        NDArray matches = images.getManager().eye(Math.toIntExact(images.getShape().get(0)));
        // s·T·Iᵀ is the transpose of s·I·Tᵀ: the same products, read by text.
        return Scalars.div(crossEntropy(imageToText, matches).add(crossEntropy(imageToText.transpose(), matches)), 2);
    }
}
