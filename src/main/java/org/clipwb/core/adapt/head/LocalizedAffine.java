package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import org.clipwb.core.model.Scalars;

/**
 * LLU's localized affine update of unit embeddings (Ibing, Lim, Kobbelt, Eq. 4–5; methods.md §2.2):
 * {@code h(z) = α(z)·(W z + b) + (1 − α(z))·z} with {@code α(z) = β · max_d exp(−γ (1 − zᵀd))} over the anchors
 * {@code d} the update was fitted near, optionally renormalised. Shared by LLU's training and its saved head.
 */
public final class LocalizedAffine {
    private LocalizedAffine() {
    }

    /** {@code exp(−γ (1 − z·dᵀ))} for every embedding and anchor: [N, A]. */
    public static NDArray kernel(NDArray embeddings, NDArray anchors, double gamma) {
        return Scalars.mul(embeddings.matMul(anchors.transpose()).sub(1), gamma).exp();
    }

    /** The interpolation mask α(z) = β · max over anchors of the kernel: [N]. */
    public static NDArray alpha(NDArray embeddings, NDArray anchors, double beta, double gamma) {
        return Scalars.mul(kernel(embeddings, anchors, gamma).max(new int[] {1}), beta);
    }

    /**
     * {@code α·(z Wᵀ + b) + (1 − α)·z}, renormalised to unit rows when asked; computed as {@code z + α·(z Wᵀ + b − z)},
     * two operations fewer in each of LLU's training steps.
     *
     * @param embeddings unit rows [N, D]
     * @param weight W [D, D], stored as PyTorch's Linear does ([out, in])
     * @param bias b [D]
     * @param alpha α per row [N]
     */
    public static NDArray apply(NDArray embeddings, NDArray weight, NDArray bias, NDArray alpha, boolean renormalise) {
        NDArray mapped = embeddings.matMul(weight.transpose()).add(bias);
        NDArray mixed = mapped.sub(embeddings).mul(alpha.expandDims(1)).add(embeddings);
        return renormalise ? mixed.div(mixed.norm(new int[] {1}, true)) : mixed;
    }
}
