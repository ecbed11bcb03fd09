package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.clipwb.core.model.Scalars;

/**
 * LLU's classifier: images pass through the localized image update fitted near {@code imageAnchors}, and are
 * compared with the class texts already passed through the text update ({@code classWeights}).
 *
 * @param imageWeight W_I [D][D]
 * @param imageBias b_I [D]
 * @param imageAnchors the image anchors D_image [A][D] (cluster representatives of the training images)
 * @param classWeights h_T of each class's text embedding [C][D]: the class texts already passed through the text
 *     update
 */
public record LluHead(float[][] imageWeight, float[] imageBias, float[][] imageAnchors, float[][] classWeights,
        double beta, double gamma, boolean renormalise, float scale) implements ClassifierHead {
    @Override
    public NDArray logits(NDArray images) {
        NDManager manager = images.getManager();
        NDArray alpha = alpha(images);
        NDArray adapted = LocalizedAffine.apply(images, Tensor.of(imageWeight).toArray(manager),
                Tensor.of(imageBias).toArray(manager), alpha, renormalise);
        return Scalars.mul(adapted.matMul(Tensor.of(classWeights).toArray(manager).transpose()), scale);
    }

    /** The interpolation mask α(x) of each image [N]. */
    public NDArray alpha(NDArray images) {
        return LocalizedAffine.alpha(images, Tensor.of(imageAnchors).toArray(images.getManager()), beta, gamma);
    }

    /** β · exp(−γ (1 − xᵀd)) for each image and image anchor [N, A]: how strongly each anchor pulls each image. */
    public NDArray anchorWeights(NDArray images) {
        return Scalars.mul(LocalizedAffine.kernel(images, Tensor.of(imageAnchors).toArray(images.getManager()), gamma),
                beta);
    }

    @Override
    public Map<String, Tensor> tensors() {
        return Map.of("image_weight", Tensor.of(imageWeight), "image_bias", Tensor.of(imageBias),
                "image_anchors", Tensor.of(imageAnchors), "adapted_class_weights", Tensor.of(classWeights));
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of("beta", beta, "gamma", gamma, "renormalise", renormalise ? 1.0 : 0.0, "scale", (double) scale);
    }

    static LluHead restore(Map<String, Tensor> tensors, Map<String, Double> scalars) {
        return new LluHead(tensors.get("image_weight").rows(), tensors.get("image_bias").values().clone(),
                tensors.get("image_anchors").rows(), tensors.get("adapted_class_weights").rows(), scalars.get("beta"),
                scalars.get("gamma"), scalars.get("renormalise") != 0, scalars.get("scale").floatValue());
    }
}
