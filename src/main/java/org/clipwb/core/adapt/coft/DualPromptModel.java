package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.model.Scalars;

/**
 * One of CoFT's two Phase-I models (methods.md §4.4): frozen CLIP with a lightweight visual module and DeFT's two
 * learnable prompts (§4.3). The positive prompt classifies, {@code S⁺ = s·v·t⁺ᵀ}; the negative prompt is a learned,
 * per-class threshold, {@code S⁻ = s·v·t⁻ᵀ}; a label k of image x is clean when {@code S⁺[x, k] > S⁻[x, k]}.
 */
final class DualPromptModel {
    static final String POSITIVE = "prompt.positive";
    static final String NEGATIVE = "prompt.negative";

    private final ClipModel model;
    private final TrainableWeights frozen;
    private final ImageEncoder encoder;
    private final ClassPrompts classPrompts;
    private final NDArray positive;
    private final NDArray negative;
    private final float scale;

    DualPromptModel(ClipModel model, TrainableWeights frozen, ImageEncoder encoder, ClassPrompts classPrompts,
            NDArray positive, NDArray negative, float scale) {
        this.model = model;
        this.frozen = frozen;
        this.encoder = encoder;
        this.classPrompts = classPrompts;
        this.positive = positive;
        this.negative = negative;
        this.scale = scale;
    }

    /** Both prompts' logits of a batch. */
    record Scores(NDArray positive, NDArray negative) {
    }

    /** Normalised text features [C, D] of the positive and the negative prompt, in one pass of the text tower. */
    List<NDArray> texts(boolean training) {
        return classPrompts.features(model, frozen, training, positive, negative);
    }

    /**
     * S⁺ and S⁻ [B, C] of pixels [B, 3, S, S].
     *
     * @param detachImageInNegative DeFT's S⁻ sees the image feature without gradient; CoFT's does not (★)
     */
    Scores scores(NDArray pixels, boolean training, boolean detachImageInNegative) {
        return scoresOfFeatures(encoder.features(pixels, training), training, detachImageInNegative);
    }

    /** S⁺ and S⁻ [B, C] of normalised image features [B, D] against the prompts' text features. */
    Scores scoresOfFeatures(NDArray images, boolean training, boolean detachImageInNegative) {
        List<NDArray> texts = texts(training);
        return scores(images, texts.get(0), texts.get(1), detachImageInNegative);
    }

    /** S⁺ and S⁻ of normalised image features [B, D] against given text features. */
    Scores scores(NDArray images, NDArray positiveTexts, NDArray negativeTexts, boolean detachImageInNegative) {
        NDArray forNegative = detachImageInNegative ? images.stopGradient() : images;
        return new Scores(Scalars.mul(images.matMul(positiveTexts.transpose()), scale),
                Scalars.mul(forNegative.matMul(negativeTexts.transpose()), scale));
    }

    /** The image encoder. */
    ImageEncoder encoder() {
        return encoder;
    }

    /** Everything the model trains, by name. */
    Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>(encoder.parameters());
        out.put(POSITIVE, positive);
        out.put(NEGATIVE, negative);
        return out;
    }

    /** The positive prompt's text features as plain rows [C][D], for a classifier. */
    float[][] positiveTextRows() {
        NDArray features = texts(false).get(0);
        return org.clipwb.core.util.FloatRows.split(features.toFloatArray(), (int) features.getShape().get(0));
    }
}
