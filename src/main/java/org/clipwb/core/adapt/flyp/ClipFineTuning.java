package org.clipwb.core.adapt.flyp;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.adapt.images.TrainingImages;
import org.clipwb.core.adapt.train.AdamW;
import org.clipwb.core.adapt.train.Gradients;
import org.clipwb.core.adapt.train.Losses;
import org.clipwb.core.adapt.train.LogitScale;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.model.Scalars;
import org.clipwb.core.util.FloatRows;
import org.clipwb.core.zeroshot.TextEncoder;

/**
 * Full fine-tuning of CLIP's weights, or of the ones {@code trained} names, with AdamW: trainable copies of the
 * loaded model's weights (which stay as they were), the encoders that run on them, and one optimizer step per call.
 * FLYP trains every weight with the contrastive loss; the oracle's full fine-tuning trains the image tower with
 * cross-entropy.
 */
public final class ClipFineTuning {
    /** The canonical name of CLIP's learned log inverse temperature. */
    public static final String LOGIT_SCALE = "logit_scale";
    /** PyTorch's AdamW defaults, which FLYP and OpenCLIP keep. */
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final int TEXT_BATCH = 64;

    private final TrainingImages images;
    private final ClipModel model;
    private final TrainableWeights weights;
    private final AdamW optimizer;
    private final double maxGradientNorm;

    /**
     * @param trained which weights train, by canonical name
     * @param weightDecay AdamW's decoupled decay of matrices (never of gains, biases, the logit scale or other
     *     vectors: OpenCLIP's {@code exclude} rule, which FLYP's re-implementation in LatteCLIP trains with)
     * @param maxGradientNorm the joint gradient norm steps are clipped to (0: not clipped)
     */
    public ClipFineTuning(TrainingImages images, Predicate<String> trained, double weightDecay,
            double maxGradientNorm) {
        this.images = images;
        this.model = images.clip().model();
        this.weights = new TrainableWeights(images.manager(), model).replace(trained, true);
        this.optimizer = new AdamW(images.manager(), BETA1, BETA2, EPSILON, weightDecay, this::decayed);
        this.maxGradientNorm = maxGradientNorm;
    }

    private boolean decayed(String name) {
        return model.expectedShapes().get(name).dimension() >= 2 && !name.contains("ln_") && !name.contains("bias")
                && !name.equals(LOGIT_SCALE);
    }

    /** L2-normalised image features [B, D] of pixels [B, 3, S, S] on the weights being trained. */
    public NDArray imageFeatures(NDArray pixels, boolean training) {
        return normalise(model.encodeImage(weights, pixels, training));
    }

    /** L2-normalised text features [N, D] of token ids [N, T] on the weights being trained. */
    public NDArray textFeatures(int[][] tokens, boolean training) {
        NDArray ids = images.manager().create(tokens).toType(DataType.INT64, false);
        return normalise(model.encodeText(weights, ids, training));
    }

    /** s = exp(logit_scale) of the weights being trained (the model's own when it is not trained). */
    public NDArray scale(boolean training) {
        return model.logitScale(weights, images.manager().getDevice(), training).exp();
    }

    /**
     * FLYP's loss (methods.md §1.6): CLIP's symmetric contrastive loss between a batch's images and their captions.
     * Each distinct caption is encoded once and paired with its images through a one-hot product, which gives the
     * gradients of encoding every image's caption separately.
     *
     * @param pixels the batch's pixels, {@code captions.length} images
     * @param captions each image's caption, as an index into {@code captionTokens}
     * @param captionTokens the token ids of every caption there is
     */
    public NDArray contrastiveLoss(float[] pixels, int[] captions, int[][] captionTokens) {
        int[] distinct = Arrays.stream(captions).distinct().sorted().toArray();
        long[] position = Arrays.stream(captions).mapToLong(caption -> Arrays.binarySearch(distinct, caption))
                .toArray();
        NDArray texts = textFeatures(Arrays.stream(distinct).mapToObj(c -> captionTokens[c]).toArray(int[][]::new),
                true);
        NDArray paired = images.manager().create(position).oneHot(distinct.length).matMul(texts);
        return Losses.symmetricContrastive(imageFeatures(images.pixels(pixels, captions.length), true), paired,
                scale(true));
    }

    /**
     * Cross-entropy of a batch's images against their labels through a fixed classifier, {@code CE(s · f · Wᵀ, y)}
     * (the oracle's full fine-tuning through the zero-shot classifier).
     *
     * @param classWeights the classifier's normalised class weights [C, D]
     * @param scale its multiplier of cosine similarities
     */
    public NDArray classifierLoss(float[] pixels, long[] labels, NDArray classWeights, float scale) {
        NDArray logits = Scalars.mul(imageFeatures(images.pixels(pixels, labels.length), true)
                .matMul(classWeights.transpose()), scale);
        return Losses.crossEntropy(logits, images.manager().create(labels)
                .oneHot(Math.toIntExact(classWeights.getShape().get(0))));
    }

    /** The text tower on the weights being trained, as a zero-shot classifier's encoder (no gradients). */
    public TextEncoder textEncoder() {
        return texts -> {
            List<float[]> rows = new ArrayList<>(texts.size());
            for (int start = 0; start < texts.size(); start += TEXT_BATCH) {
                List<String> chunk = texts.subList(start, Math.min(texts.size(), start + TEXT_BATCH));
                try (NDScope scope = new NDScope()) {
                    rows.addAll(List.of(FloatRows.split(textFeatures(images.clip().tokenizer().tokenize(chunk),
                            false).toFloatArray(), chunk.size())));
                }
            }
            return rows.toArray(float[][]::new);
        };
    }

    /** The image features of every image of {@code set}, in order, under the model's own preprocessing. */
    public float[][] embed(DecodedImages set) throws IOException {
        return images.embed(set, pixels -> imageFeatures(pixels, false));
    }

    /**
     * One step: the loss {@code loss} computes (on this object's features) is differentiated, the gradients vetted
     * and clipped ({@link Gradients#vet}), and AdamW takes a step at {@code rate}; a trained logit scale is then
     * clamped to [0, ln 100] as OpenCLIP does.
     *
     * @return the loss, and whether the step was taken (false: skipped for corrupted gradients)
     */
    public Step step(Supplier<NDArray> loss, double rate) {
        boolean taken;
        float value;
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray computed = loss.get();
                collector.backward(computed);
                value = computed.getFloat();
                taken = Gradients.vet(weights.weights().values(), maxGradientNorm);
            }
            if (taken) {
                optimizer.step(weights.weights(), rate);
                NDArray logitScale = weights.weights().get(LOGIT_SCALE);
                if (logitScale != null) {
                    LogitScale.clamp(logitScale);
                }
            }
        }
        return new Step(value, taken);
    }

    /** A step's loss and whether it was taken. */
    public record Step(double loss, boolean taken) {
    }

    /** The trained weights, by canonical name. */
    public Map<String, Tensor> weights() {
        return weights.snapshot();
    }

    /** The optimizer's state. */
    public Map<String, Tensor> optimizerState() {
        return optimizer.state();
    }

    /** Restores trained weights and optimizer state saved by {@link #weights()} and {@link #optimizerState()}. */
    public void restore(Map<String, Tensor> savedWeights, Map<String, Tensor> savedOptimizer) {
        weights.load(savedWeights);
        optimizer.restore(savedOptimizer);
    }

    private static NDArray normalise(NDArray rows) {
        return rows.div(rows.norm(new int[] {-1}, true));
    }
}
