package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Scaled cosine similarity to one normalised weight vector per class: CLIP's zero-shot classifier, and the
 * classifier of methods that learn text features or prototypes. {@code logits = scale · x · Wᵀ}.
 */
public record CosineHead(float[][] classWeights, float scale) implements ClassifierHead {
    @Override
    public NDArray logits(NDArray images) {
        NDArray weights = Tensor.of(classWeights).toArray(images.getManager());
        return images.matMul(weights.transpose()).mul(scale);
    }

    @Override
    public Map<String, Tensor> tensors() {
        return Map.of("class_weights", Tensor.of(classWeights));
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of("scale", (double) scale);
    }

    static CosineHead restore(Map<String, Tensor> tensors, Map<String, Double> scalars) {
        return new CosineHead(tensors.get("class_weights").rows(), scalars.get("scale").floatValue());
    }
}
