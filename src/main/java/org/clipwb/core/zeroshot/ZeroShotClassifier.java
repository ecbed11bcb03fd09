package org.clipwb.core.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.util.FloatRows;

/**
 * CLIP's zero-shot classifier: one weight vector per class, the renormalised mean of the normalised embeddings of
 * the class's prompts; an image's logits are {@code scale · image · weightsᵀ}.
 */
public final class ZeroShotClassifier {
    private final ClassList classes;
    private final PromptTemplates templates;
    private final float[][] classWeights;
    private final float logitScale;

    private ZeroShotClassifier(ClassList classes, PromptTemplates templates, float[][] classWeights,
            float logitScale) {
        this.classes = classes;
        this.templates = templates;
        this.classWeights = classWeights;
        this.logitScale = logitScale;
    }

    /**
     * Embeds every prompt of every class in one batch and averages them per class.
     *
     * @param logitScale the multiplier of cosine similarities, exp(logit_scale) of the model (100 for OpenAI's)
     */
    public static ZeroShotClassifier build(ClassList classes, PromptTemplates templates, TextEncoder encoder,
            float logitScale) {
        List<String> prompts = new ArrayList<>();
        for (String name : classes.names()) {
            prompts.addAll(templates.prompts(name));
        }
        float[][] embeddings = encoder.embedTexts(prompts);
        int perClass = templates.templates().size();
        int dim = embeddings[0].length;
        float[][] weights;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray all = manager.create(FloatRows.join(embeddings), new Shape(classes.size(), perClass, dim));
            NDArray mean = all.mean(new int[] {1});
            weights = FloatRows.split(mean.div(mean.norm(new int[] {1}, true)).toFloatArray(), classes.size());
        }
        return new ZeroShotClassifier(classes, templates, weights, logitScale);
    }

    /** Classifies L2-normalised image embeddings [N][D]. */
    public List<Prediction> classify(float[][] imageEmbeddings) {
        List<Prediction> predictions = new ArrayList<>(imageEmbeddings.length);
        if (imageEmbeddings.length == 0) {
            return predictions;
        }
        int dim = classWeights[0].length;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.create(FloatRows.join(imageEmbeddings), new Shape(imageEmbeddings.length, dim));
            NDArray weights = manager.create(FloatRows.join(classWeights), new Shape(classes.size(), dim));
            float[] probabilities = images.matMul(weights.transpose()).mul(logitScale).softmax(1).toFloatArray();
            for (float[] row : FloatRows.split(probabilities, imageEmbeddings.length)) {
                predictions.add(new Prediction(row));
            }
        }
        return predictions;
    }

    /** The classes. */
    public ClassList classes() {
        return classes;
    }

    /** The templates the class weights were built from. */
    public PromptTemplates templates() {
        return templates;
    }

    /** The multiplier applied to cosine similarities. */
    public float logitScale() {
        return logitScale;
    }

    /** The normalised class weight vectors [C][D] (a copy). */
    public float[][] classWeights() {
        float[][] copy = new float[classWeights.length][];
        for (int c = 0; c < copy.length; c++) {
            copy[c] = classWeights[c].clone();
        }
        return copy;
    }
}
