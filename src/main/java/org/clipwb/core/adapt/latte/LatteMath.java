package org.clipwb.core.adapt.latte;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.clipwb.core.adapt.train.Losses;
import org.clipwb.core.model.Scalars;

/**
 * The arithmetic of one LatteCLIP training step (methods.md §3.3, the released {@code train_one_epoch_v2}), each
 * piece a pure function of NDArrays. Text features are L2-normalised rows [B, D]; the prototype bank M is [C, D];
 * labels are class indices [B]. Results and intermediates belong to the inputs' manager: a training step calls these
 * inside an {@code NDScope}, which closes them.
 */
public final class LatteMath {
    /** Added to every mixer weight (§3.3: {@code compute_text_weights(…) + 1e-6}), so a mixture never divides by 0. */
    static final float MIXER_WEIGHT_FLOOR = 1e-6f;
    /** The prototype classifier's scale: {@code 100 · I · norm(M)ᵀ} (§3.3, {@code zero_shot.py} and y_ft). */
    public static final float PROTOTYPE_SCALE = 100;
    /** F.normalize's guard against dividing by a zero norm. */
    private static final double NORM_EPSILON = 1e-12;

    private LatteMath() {
    }

    /** Features [B, D] of one kind of text with the mixer weight w(t) of each row [B]. */
    public record WeightedTexts(NDArray features, NDArray weights) {
    }

    /** The mixed text features of a batch under each pseudo-label: F_ft and F_zs [B, D]. */
    public record MixedTexts(NDArray fineTuned, NDArray zeroShot) {
    }

    /** The two terms of the loss, CLIP(I, Q_ft) and CLIP(I, Q_zs), scalars. */
    public record Loss(NDArray fineTuned, NDArray zeroShot) {
        /** Their sum, what is minimised (§3.3: both pseudo-label losses weighted 1). */
        public NDArray total() {
            return fineTuned.add(zeroShot);
        }
    }

    /**
     * The prototype classifier's logits {@code 100 · I · norm(M)ᵀ} [B, C]: the fine-tuned pseudo-label y_ft is their
     * argmax during training, and the adapted classifier at test time is this head (§3.3, {@code zero_shot.py}).
     */
    public static NDArray prototypeLogits(NDArray images, NDArray bank) {
        return Scalars.mul(images.matMul(normalizedRows(bank).transpose()), PROTOTYPE_SCALE);
    }

    /** y_ft: each image's class under the current bank [B] (no gradient). */
    public static NDArray fineTunedLabels(NDArray images, NDArray bank) {
        return prototypeLogits(images.stopGradient(), bank).argMax(1);
    }

    /**
     * The Dynamic Feature Mixer's weight of each text (no gradient): {@code w(t) = top1_c(t·P[c]) − top2_c(t·P[c])
     * + 1e-6}, the margin between the two prototypes the text is closest to, so class-discriminative texts weigh more
     * (§3.3). {@code prototypeSnapshot} is P_epoch, the bank as it was when the epoch began, used as it is (not
     * renormalised; §3.7 Q4).
     *
     * @param texts [B, D]
     * @param prototypeSnapshot [C, D], C ≥ 2
     * @return [B]
     */
    public static NDArray mixerWeights(NDArray texts, NDArray prototypeSnapshot) {
        if (prototypeSnapshot.getShape().get(0) < 2) {
            throw new IllegalArgumentException("the mixer's margin needs at least two prototypes, got "
                    + prototypeSnapshot.getShape().get(0));
        }
        NDArray topTwo = texts.stopGradient().matMul(prototypeSnapshot.transpose()).topK(2, 1, true, true).get(0);
        return topTwo.get(":, 0").sub(topTwo.get(":, 1")).add(MIXER_WEIGHT_FLOOR);
    }

    /**
     * The mixed text feature of every sample under each pseudo-label (§3.3):
     * {@code F_ft = (w_lft ⊙ L_ft + w_img ⊙ T_img + w_grp ⊙ T_grp) / (w_lft + w_img + w_grp)} and F_zs alike with
     * L_zs and w_lzs, ⊙ scaling each row by its own weight. Not renormalised (§3.7 Q3).
     *
     * <p>{@code replicateBroadcastQuirk} reproduces the released code instead (§3.7): its label terms scale column j
     * by the weight of sample j ({@code w[B] * L[B, D]} broadcasts along the last axis, Q1), and F_zs's label term uses
     * w_lft where its denominator uses w_lzs (Q2). The description terms and the denominators are as intended. Like
     * the released code, this needs B = D (its batch 512 = its embedding width).
     *
     * @param fineTunedLabel L_ft, the template of y_ft, with w_lft
     * @param zeroShotLabel L_zs, the template of y_zs, with w_lzs
     * @param image T_img, each image's description, with w_img
     * @param group T_grp, the group description of a same-label partner, with w_grp
     */
    public static MixedTexts mix(WeightedTexts fineTunedLabel, WeightedTexts zeroShotLabel, WeightedTexts image,
            WeightedTexts group, boolean replicateBroadcastQuirk) {
        NDArray zeroShotNumeratorWeights = replicateBroadcastQuirk ? fineTunedLabel.weights() : zeroShotLabel.weights();
        return new MixedTexts(
                mixture(labelTerm(fineTunedLabel.features(), fineTunedLabel.weights(), replicateBroadcastQuirk),
                        fineTunedLabel.weights(), image, group),
                mixture(labelTerm(zeroShotLabel.features(), zeroShotNumeratorWeights, replicateBroadcastQuirk),
                        zeroShotLabel.weights(), image, group));
    }

    private static NDArray labelTerm(NDArray features, NDArray weights, boolean columnScaling) {
        if (!columnScaling) {
            return features.mul(weights.expandDims(1));
        }
        long batch = features.getShape().get(0);
        long width = features.getShape().get(1);
        if (batch != width) {
            throw new IllegalArgumentException("the released code's column scaling (methods.md §3.7 Q1) needs the "
                    + "batch size to equal the embedding width, got batch " + batch + " and width " + width);
        }
        return features.mul(weights.expandDims(0));
    }

    /** (label term + w_img ⊙ T_img + w_grp ⊙ T_grp) / (w_label + w_img + w_grp), in the reference's order. */
    private static NDArray mixture(NDArray labelTerm, NDArray labelWeights, WeightedTexts image, WeightedTexts group) {
        NDArray numerator = labelTerm.add(rowScaled(image)).add(rowScaled(group));
        NDArray denominator = labelWeights.add(image.weights()).add(group.weights());
        return numerator.div(denominator.expandDims(1));
    }

    private static NDArray rowScaled(WeightedTexts texts) {
        return texts.features().mul(texts.weights().expandDims(1));
    }

    /**
     * The prototype-anchored targets {@code Q = M[y] + α·(F − M[y])} [B, D] (§3.3; α = 0.01 there): each sample's
     * text target stays close to its class prototype. Not renormalised (§3.7 Q3); gradients flow through F.
     *
     * @param bank M [C, D], not trained
     * @param labels y [B]
     * @param mixed F [B, D]
     */
    public static NDArray anchoredTargets(NDArray bank, NDArray labels, NDArray mixed, float alpha) {
        NDArray anchors = bank.get(labels);
        return anchors.add(Scalars.mul(mixed.sub(anchors), alpha));
    }

    /**
     * The loss {@code CLIP(I, Q_ft) + CLIP(I, Q_zs)}, with the targets as the batch's texts of CLIP's symmetric loss
     * (§3.3).
     *
     * @param images normalised image features I [B, D]
     * @param scale exp(logit_scale), a scalar
     */
    public static Loss loss(NDArray images, NDArray fineTunedTargets, NDArray zeroShotTargets, NDArray scale) {
        return new Loss(Losses.symmetricContrastive(images, fineTunedTargets, scale),
                Losses.symmetricContrastive(images, zeroShotTargets, scale));
    }

    /**
     * The bank after a step (§3.3, no gradient): every class c that some sample has as y_ft or y_zs gets
     * {@code M[c] = norm(mean(S_c))}, S_c being the Q_zs of the samples with y_zs = c and the Q_ft of those with
     * y_ft = c (a sample with both labels c counts twice); the other classes keep their prototype.
     *
     * @param bank M [C, D]
     * @return a new bank [C, D]
     */
    public static NDArray updatedBank(NDArray bank, NDArray fineTunedLabels, NDArray fineTunedTargets,
            NDArray zeroShotLabels, NDArray zeroShotTargets) {
        int classes = Math.toIntExact(bank.getShape().get(0));
        NDArray fineTunedMembers = fineTunedLabels.oneHot(classes, bank.getDataType()); // [B, C]
        NDArray zeroShotMembers = zeroShotLabels.oneHot(classes, bank.getDataType());
        NDArray sums = zeroShotMembers.transpose().matMul(zeroShotTargets.stopGradient())
                .add(fineTunedMembers.transpose().matMul(fineTunedTargets.stopGradient())); // [C, D]
        NDArray counts = zeroShotMembers.sum(new int[] {0}).add(fineTunedMembers.sum(new int[] {0})).expandDims(1);
        NDArray means = sums.div(counts.maximum(1));
        return NDArrays.where(counts.gt(0).broadcast(bank.getShape()), normalizedRows(means), bank);
    }

    /** Rows divided by their L2 norms (F.normalize along the last axis). */
    static NDArray normalizedRows(NDArray rows) {
        return rows.normalize(2, 1, NORM_EPSILON);
    }
}
