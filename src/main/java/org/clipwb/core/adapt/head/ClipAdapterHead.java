package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.clipwb.core.model.Scalars;

/**
 * CLIP-Adapter's classifier (Gao et al.; methods.md §1.4): a bottleneck MLP on the image embedding, mixed back into
 * it, then compared with the frozen class weights:
 * {@code f' = ratio · ReLU(ReLU(f · downᵀ) · upᵀ) + (1 − ratio) · f}, {@code logits = scale · norm(f') · Wᵀ}.
 *
 * @param down the first layer's weight [D/reduction][D] (PyTorch's Linear layout, [out, in]; no bias)
 * @param up the second layer's weight [D][D/reduction] (no bias)
 * @param ratio the residual ratio (0.2 in the released code)
 * @param classWeights the zero-shot class weights [C][D]
 */
public record ClipAdapterHead(float[][] down, float[][] up, double ratio, float[][] classWeights, float scale)
        implements ClassifierHead {
    @Override
    public NDArray logits(NDArray images) {
        NDManager manager = images.getManager();
        return logits(images, Tensor.of(down).toArray(manager), Tensor.of(up).toArray(manager), ratio,
                Tensor.of(classWeights).toArray(manager), scale);
    }

    /** The formula, shared with CLIP-Adapter's training, where {@code down} and {@code up} are learned. */
    public static NDArray logits(NDArray images, NDArray down, NDArray up, double ratio, NDArray classWeights,
            float scale) {
        NDArray adapted = adapt(images, down, up, ratio);
        return Scalars.mul(adapted.div(adapted.norm(new int[] {1}, true)).matMul(classWeights.transpose()), scale);
    }

    /**
     * The residual mix {@code f' = ratio · Adapter(f) + (1 − ratio) · f}, before normalisation. The adapter has no
     * biases and ends in a ReLU, so {@code Adapter(c·f) = c·Adapter(f)} for {@code c > 0}: normalising {@code f'}
     * makes the result the same whether {@code f} is the raw image feature (as in the released code) or, as here, the
     * normalised embedding.
     */
    public static NDArray adapt(NDArray images, NDArray down, NDArray up, double ratio) {
        NDArray adapter = Scalars.maximum(Scalars.maximum(images.matMul(down.transpose()), 0f).matMul(up.transpose()), 0f);
        return Scalars.mul(adapter, ratio).add(Scalars.mul(images, 1 - ratio));
    }

    @Override
    public Map<String, Tensor> tensors() {
        return Map.of("down", Tensor.of(down), "up", Tensor.of(up), "class_weights", Tensor.of(classWeights));
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of("ratio", ratio, "scale", (double) scale);
    }

    static ClipAdapterHead restore(Map<String, Tensor> tensors, Map<String, Double> scalars) {
        return new ClipAdapterHead(tensors.get("down").rows(), tensors.get("up").rows(), scalars.get("ratio"),
                tensors.get("class_weights").rows(), scalars.get("scale").floatValue());
    }
}
