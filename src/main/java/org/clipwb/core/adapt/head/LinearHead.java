package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** A learned linear layer on normalised image embeddings: {@code logits = x · Wᵀ + b} (self-training, linear probes). */
public record LinearHead(float[][] classWeights, float[] bias) implements ClassifierHead {
    @Override
    public NDArray logits(NDArray images) {
        return images.matMul(Tensor.of(classWeights).toArray(images.getManager()).transpose())
                .add(Tensor.of(bias).toArray(images.getManager()));
    }

    @Override
    public Map<String, Tensor> tensors() {
        return Map.of("weight", Tensor.of(classWeights), "bias", Tensor.of(bias));
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of();
    }

    static LinearHead restore(Map<String, Tensor> tensors) {
        return new LinearHead(tensors.get("weight").rows(), tensors.get("bias").values().clone());
    }
}
