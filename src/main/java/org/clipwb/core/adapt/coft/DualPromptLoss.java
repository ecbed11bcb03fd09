package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;

/**
 * DeFT's dual-prompt objective (methods.md §4.3, {@code main_phase1.py}), CoFT's "dual-loss objective":
 * <pre>
 * p_yes[b,k] = σ(stopgrad(S⁺[b,k]) − S⁻[b,k])        (a two-way softmax per image and class)
 * clean[b]   = p_yes[b, y_b] &gt; 0.5                    (labeled shots are always clean)
 * warm-up:  L_cls = mean_b CE(S⁺[b], y_b);             y'_b = y_b
 * after:    L_cls = mean over clean b of CE(S⁺[b], y_b); y'_b = y_b if clean[b] else argmax_k S⁺[b,k]
 * L_neg = mean_b −log p_no[b, ȳ_b] + mean_b −log p_yes[b, y'_b]   (p clamped to [1e-5, 1] before the log)
 * </pre>
 * with ȳ_b a random complementary label (any class but y_b).
 */
final class DualPromptLoss {
    /** DeFT clamps probabilities before taking logs. */
    private static final float MIN_PROBABILITY = 1e-5f;

    private DualPromptLoss() {
    }

    /**
     * The loss terms of a batch.
     *
     * @param cls L_cls, a scalar
     * @param neg L_neg, a scalar
     * @param clean 1 where the image's label counted as clean, else 0 [B]
     */
    record Terms(NDArray cls, NDArray neg, NDArray clean) {
        NDArray total() {
            return cls.add(neg);
        }
    }

    /**
     * @param labels the given (pseudo-)labels y [B], int64
     * @param complementary ȳ [B], int64, each different from its y
     * @param trusted 1 for labeled shots, which count as clean whatever the prompts say [B], float32
     * @param warmup whether the epoch is one of DeFT's warm-up epochs
     */
    static Terms compute(NDArray positive, NDArray negative, NDArray labels, NDArray complementary, NDArray trusted,
            boolean warmup) {
        int classes = (int) positive.getShape().get(1);
        NDArray pYes = Activation.sigmoid(positive.stopGradient().sub(negative));
        NDArray given = labels.oneHot(classes);
        NDArray clean = at(pYes, given).gt(0.5f).toType(trusted.getDataType(), false).maximum(trusted).stopGradient();
        NDArray crossEntropy = at(positive.logSoftmax(1), given).neg();
        NDArray cls;
        NDArray target;
        if (warmup) {
            cls = crossEntropy.mean();
            target = given;
        } else {
            cls = crossEntropy.mul(clean).sum().div(clean.sum().maximum(1f));
            NDArray predicted = positive.argMax(1).oneHot(classes);
            NDArray isClean = clean.expandDims(1).gt(0.5f);
            target = NDArrays.where(isClean.broadcast(given.getShape()), given, predicted);
        }
        NDArray pNo = pYes.neg().add(1f);
        NDArray neg = log(at(pNo, complementary.oneHot(classes))).neg().mean()
                .add(log(at(pYes, target)).neg().mean());
        return new Terms(cls, neg, clean);
    }

    /** p_clean = σ(S⁺ − S⁻) for every image and class: the probability that class k is a clean label of image b. */
    static NDArray cleanProbability(NDArray positive, NDArray negative) {
        return Activation.sigmoid(positive.sub(negative));
    }

    private static NDArray at(NDArray values, NDArray oneHot) {
        return values.mul(oneHot).sum(new int[] {1});
    }

    private static NDArray log(NDArray probabilities) {
        return probabilities.clip(MIN_PROBABILITY, 1f).log();
    }
}
