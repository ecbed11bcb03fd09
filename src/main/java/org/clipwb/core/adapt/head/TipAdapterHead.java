package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.clipwb.core.model.Scalars;

/**
 * Tip-Adapter's classifier (Zhang et al.; methods.md §1.5): zero-shot logits plus a cache of labeled embeddings,
 * {@code logits = scale · x Wᵀ + α · exp(−β (1 − x · keysᵀ)) · values}.
 *
 * @param keys the cache keys [K][D] (normalised embeddings; learned in Tip-Adapter-F)
 * @param values the cache values [K][C] (one-hot labels)
 * @param classWeights the zero-shot class weights [C][D]
 */
public record TipAdapterHead(float[][] keys, float[][] values, float[][] classWeights, double alpha, double beta,
        float scale) implements ClassifierHead {
    @Override
    public NDArray logits(NDArray images) {
        NDManager manager = images.getManager();
        return logits(images, Tensor.of(keys).toArray(manager), Tensor.of(values).toArray(manager),
                Tensor.of(classWeights).toArray(manager), alpha, beta, scale);
    }

    /** The formula, shared with Tip-Adapter-F's training, where {@code keys} is the learned parameter. */
    public static NDArray logits(NDArray images, NDArray keys, NDArray values, NDArray classWeights, double alpha,
            double beta, float scale) {
        NDArray affinity = images.matMul(keys.transpose());
        NDArray cache = Scalars.mul(affinity.sub(1), beta).exp().matMul(values);
        return Scalars.mul(images.matMul(classWeights.transpose()), scale).add(Scalars.mul(cache, alpha));
    }

    @Override
    public Map<String, Tensor> tensors() {
        return Map.of("keys", Tensor.of(keys), "values", Tensor.of(values), "class_weights", Tensor.of(classWeights));
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of("alpha", alpha, "beta", beta, "scale", (double) scale);
    }

    static TipAdapterHead restore(Map<String, Tensor> tensors, Map<String, Double> scalars) {
        return new TipAdapterHead(tensors.get("keys").rows(), tensors.get("values").rows(),
                tensors.get("class_weights").rows(), scalars.get("alpha"), scalars.get("beta"),
                scalars.get("scale").floatValue());
    }
}
