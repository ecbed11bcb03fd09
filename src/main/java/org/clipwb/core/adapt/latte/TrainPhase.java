package org.clipwb.core.adapt.latte;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.Seeds;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.latte.DescriptionsPhase.Descriptions;
import org.clipwb.core.adapt.latte.LatteMath.MixedTexts;
import org.clipwb.core.adapt.latte.LatteMath.WeightedTexts;
import org.clipwb.core.adapt.train.AdamW;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.Gradients;
import org.clipwb.core.adapt.train.LogitScale;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.adapt.train.PhaseProgress;
import org.clipwb.core.util.FloatRows;

/**
 * LatteCLIP's training (methods.md §3.3, the released {@code train_one_epoch_v2}): augmented batches of the training
 * images through the image encoder with gradients, each image's text target mixed from its class, image and group
 * descriptions by the Dynamic Feature Mixer and anchored to the momentum-updated prototype of each of its two
 * pseudo-labels, CLIP's contrastive loss against both targets, AdamW on the image tower and the logit scale. The
 * text tower is not trained: the description embeddings are computed once (see {@link LatteClip}).
 */
final class TrainPhase {
    static final String ID = "train";
    static final PhaseInfo INFO = new PhaseInfo(ID, "Prototype learning", "AdamW on the image encoder against "
            + "targets that mix class, image and group descriptions by their Dynamic Feature Mixer weights, anchored "
            + "to momentum-updated class prototypes");

    static final String BANK = "bank";
    static final String LOGIT_SCALE = "logit_scale";
    static final String TARGET_EMBEDDINGS = "target_embeddings";
    static final String TEST_EMBEDDINGS = "test_embeddings";
    static final String ENCODER = "encoder.";
    static final String SKIPPED = "skipped_steps";
    private static final String OPTIMIZER = "adamw.";
    /** §3.5: AdamW's β1, β2 and ε as OpenCLIP's training sets them. */
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.98;
    private static final double EPSILON = 1e-6;

    /** The per-image mixer-weight signals, in the order {@link #mixerWeightsOf} computes them. */
    static final List<String> MIXER_SIGNALS = List.of("latte.w_image", "latte.w_group", "latte.w_zero_shot_label",
            "latte.w_fine_tuned_label");

    /**
     * The texts of a run, as normalised embeddings of the frozen text tower.
     *
     * @param classes L: one class text per class [C][D], the initial bank
     * @param images T_img of each training image [K][D]
     * @param groups T_grp of each training image (its own group picture) [K][D]
     */
    record Texts(float[][] classes, float[][] images, float[][] groups) {
    }

    private final LatteImages images;
    private final Settings settings;
    private final long seed;

    TrainPhase(LatteImages images, Settings settings, long seed) {
        this.images = images;
        this.settings = settings;
        this.seed = seed;
    }

    /**
     * AdamW's decay rule (§3.5, OpenCLIP's {@code get_default_params}): weight decay on parameters with at least two
     * axes whose name says neither layer norm, batch norm, bias nor logit scale.
     */
    static boolean decays(String name, Shape shape) {
        return shape.dimension() >= 2 && !name.contains("ln") && !name.contains("bn") && !name.contains("bias")
                && !name.contains(LOGIT_SCALE);
    }

    /**
     * Refuses, before any work, settings under which the released code's mixing cannot run: its column scaling
     * (methods.md §3.7 Q1) needs batches exactly as wide as the embedding.
     */
    static void checkBatchForQuirk(Settings settings, int width) {
        int batchSize = settings.integer("train.batch-size");
        if (settings.flag("latte.replicate-broadcast-quirk") && batchSize != width) {
            throw new IllegalArgumentException("latte.replicate-broadcast-quirk mixes as the released code does, "
                    + "whose column scaling (methods.md §3.7 Q1) needs train.batch-size equal to the embedding width "
                    + width + ", got " + batchSize);
        }
    }

    /** What trains: the image tower's weights and the logit scale, by name. */
    private record Model(TrainableWeights weights, NDArray logitScale) {
        Map<String, NDArray> parameters() {
            Map<String, NDArray> all = new LinkedHashMap<>(weights.weights());
            all.put(LOGIT_SCALE, logitScale);
            return all;
        }
    }

    /** Trains (from the last saved epoch when resumed) and returns the phase's outputs. */
    Checkpoint.Builder train(PhaseContext phase, PseudoLabels labels, Descriptions descriptions, Texts texts)
            throws IOException {
        NDManager manager = images.manager();
        int[] items = descriptions.images();
        long[] zeroShot = Arrays.stream(items).mapToLong(i -> labels.predicted()[i]).toArray();
        SameLabelImages sameLabel = new SameLabelImages(Arrays.stream(zeroShot).mapToInt(Math::toIntExact).toArray());
        NDArray classTexts = kept(manager, texts.classes());
        NDArray imageTexts = kept(manager, texts.images());
        NDArray groupTexts = kept(manager, texts.groups());

        Model model = new Model(images.visualWeights(), kept(manager.create(new float[] {
                (float) Math.log(images.clip().logitScale())}), true));
        Map<String, NDArray> parameters = model.parameters();
        AdamW optimizer = new AdamW(manager, BETA1, BETA2, EPSILON, settings.decimal("train.weight-decay"),
                name -> decays(name, parameters.get(name).getShape()));
        NDArray bank = kept(manager, texts.classes()); // M, initialised with the class texts (§3.3)
        Optional<Checkpoint> resume = phase.resumeFrom();
        if (resume.isPresent()) {
            Checkpoint saved = resume.get();
            parameters.forEach((name, parameter) -> TrainableWeights.assign(parameter,
                    saved.tensor(ENCODER + name).values()));
            TrainableWeights.assign(bank, saved.tensor(BANK).values());
            Map<String, Tensor> state = new LinkedHashMap<>();
            saved.tensors().forEach((name, tensor) -> {
                if (name.startsWith(OPTIMIZER)) {
                    state.put(name.substring(OPTIMIZER.length()), tensor);
                }
            });
            optimizer.restore(state);
        }

        int epochs = settings.integer("train.epochs");
        int batchSize = settings.integer("train.batch-size");
        int stepsPerEpoch = Minibatches.count(items.length, batchSize, true);
        long totalSteps = (long) epochs * stepsPerEpoch;
        CosineSchedule schedule = new CosineSchedule(settings.decimal("train.lr"), totalSteps,
                settings.integer("train.warmup-steps"), 0, true);
        float alpha = (float) settings.decimal("latte.alpha");
        boolean quirk = settings.flag("latte.replicate-broadcast-quirk");
        int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);
        PhaseProgress progress = new PhaseProgress(phase, epochs, totalSteps, (long) firstEpoch * stepsPerEpoch,
                "train.lr");
        int[] evaluation = phase.run().data().target().labels();
        // Steps skipped for a corrupted backward pass (Gradients.vet), over every attempt.
        int skipped = resume.flatMap(c -> c.value(SKIPPED)).map(Integer::parseInt).orElse(0);
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            // Q4: the mixer weighs texts by the bank as it was when the epoch began.
            NDArray snapshot = kept(bank.duplicate(), false);
            List<int[]> batches = Minibatches.of(items.length, batchSize, Seeds.of(seed, ID, "order"), epoch, true);
            SplittableRandom partners = new SplittableRandom(Seeds.of(seed, ID, "partners", epoch));
            double[] sums = new double[3];
            try (BatchStream stream = images.augmented(batches.stream()
                    .map(batch -> Arrays.stream(batch).map(k -> items[k]).toArray()).toList(),
                    Seeds.of(seed, ID, "views", epoch))) {
                for (int b = 0; b < batches.size(); b++) {
                    phase.checkCancelled();
                    int[] batch = batches.get(b);
                    float[] pixels = LatteImages.next(stream);
                    long step = (long) epoch * stepsPerEpoch + b;
                    double rate = schedule.rate(step);
                    try (NDScope scope = new NDScope()) {
                        NDArray rows = manager.create(Arrays.stream(batch).mapToLong(k -> k).toArray());
                        // §3.3: the group description of a same-label partner, drawn anew at every load.
                        NDArray partnerRows = manager.create(Arrays.stream(sameLabel.partners(batch, partners))
                                .mapToLong(k -> k).toArray());
                        NDArray zeroShotLabels = manager.create(Arrays.stream(batch).mapToLong(k -> zeroShot[k])
                                .toArray());
                        double[] losses;
                        NDArray nextBank;
                        boolean taken;
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray features = images.features(model.weights(), images.pixels(pixels, batch.length),
                                    true);
                            NDArray fineTunedLabels = LatteMath.fineTunedLabels(features, bank);
                            MixedTexts mixed = LatteMath.mix(
                                    weighted(classTexts.get(fineTunedLabels), snapshot),
                                    weighted(classTexts.get(zeroShotLabels), snapshot),
                                    weighted(imageTexts.get(rows), snapshot),
                                    weighted(groupTexts.get(partnerRows), snapshot), quirk);
                            NDArray fineTunedTargets = LatteMath.anchoredTargets(bank, fineTunedLabels,
                                    mixed.fineTuned(), alpha);
                            NDArray zeroShotTargets = LatteMath.anchoredTargets(bank, zeroShotLabels,
                                    mixed.zeroShot(), alpha);
                            LatteMath.Loss loss = LatteMath.loss(features, fineTunedTargets, zeroShotTargets,
                                    model.logitScale().exp());
                            collector.backward(loss.total());
                            // §3.3: the bank moves before the optimizer steps.
                            nextBank = LatteMath.updatedBank(bank, fineTunedLabels, fineTunedTargets, zeroShotLabels,
                                    zeroShotTargets);
                            losses = new double[] {loss.fineTuned().getFloat(), loss.zeroShot().getFloat()};
                            taken = Gradients.vet(parameters.values(), 0);
                        }
                        TrainableWeights.assign(bank, nextBank.toFloatArray());
                        if (taken) {
                            optimizer.step(parameters, rate);
                            LogitScale.clamp(model.logitScale());
                        } else {
                            skipped++;
                        }
                        sums[0] += losses[0] * batch.length;
                        sums[1] += losses[1] * batch.length;
                        sums[2] += batch.length;
                        progress.step(epoch, batch.length, losses(losses[0], losses[1]), rate);
                    }
                }
            }
            snapshot.close();
            Checkpoint.Builder state = Checkpoint.after(epoch + 1)
                    .tensors(prefixed(TrainableWeights.tensors(parameters), ENCODER))
                    .tensors(prefixed(optimizer.state(), OPTIMIZER))
                    .tensor(BANK, tensor(bank)).value(SKIPPED, skipped);
            progress.epoch(epoch, losses(sums[0] / sums[2], sums[1] / sums[2]),
                    schedule.rate((long) (epoch + 1) * stepsPerEpoch - 1),
                    new PseudoLabelStats(items.length, labels.predicted().length, OptionalDouble.empty(),
                            known(labels.selectedAccuracy(evaluation)), OptionalDouble.empty()),
                    String.format(Locale.ROOT, "%s epoch %d of %d: loss %.4f (fine-tuned labels %.4f, zero-shot "
                            + "labels %.4f), logit scale %.1f%s", ID, epoch + 1, epochs, (sums[0] + sums[1]) / sums[2],
                            sums[0] / sums[2], sums[1] / sums[2], Math.exp(model.logitScale().getFloat(0)),
                            skipped == 0 ? "" : "; " + skipped + " corrupted steps skipped"));
            phase.saveEpoch(state.inProgress()); // after the check: a diverged epoch is not kept
        }
        return finish(phase, model, bank, labels, items, texts).value(SKIPPED, skipped);
    }

    /** The adapted encoder, the prototype head, the target and test embeddings, and the per-image signals. */
    private Checkpoint.Builder finish(PhaseContext phase, Model model, NDArray bank, PseudoLabels labels, int[] items,
            Texts texts) throws IOException {
        float[][] target = images.embed(images.targets(), model.weights());
        float[][] prototypes;
        float[][] mixerWeights;
        NDManager manager = images.manager();
        try (NDScope scope = new NDScope()) {
            prototypes = FloatRows.split(LatteMath.normalizedRows(bank).toFloatArray(), texts.classes().length);
            mixerWeights = mixerWeightsOf(manager.create(FloatRows.join(target), new Shape(target.length,
                    target[0].length)), bank, texts, items, labels);
        }
        CosineHead head = new CosineHead(prototypes, LatteMath.PROTOTYPE_SCALE);
        Checkpoint.Builder outputs = Checkpoint.after(settings.integer("train.epochs"))
                .tensors(prefixed(model.weights().snapshot(), ENCODER))
                .tensor(BANK, Tensor.of(prototypes))
                .value(LOGIT_SCALE, Math.exp(model.logitScale().getFloat(0)))
                .tensor(TARGET_EMBEDDINGS, Tensor.of(target));
        if (images.test().isPresent()) {
            outputs.tensor(TEST_EMBEDDINGS, Tensor.of(images.embed(images.test().get(), model.weights())));
        }
        float[][] probabilities = head.probabilities(target);
        int n = target.length;
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        boolean[] trained = new boolean[n];
        for (int i = 0; i < n; i++) {
            PseudoLabels.Best best = PseudoLabels.best(probabilities[i]);
            predicted[i] = best.label();
            confidence[i] = best.probability();
        }
        Arrays.stream(items).forEach(i -> trained[i] = true);
        Map<String, Tensor> extras = new LinkedHashMap<>();
        for (int s = 0; s < MIXER_SIGNALS.size(); s++) {
            extras.put(MIXER_SIGNALS.get(s), new Tensor(mixerWeights[s], n));
        }
        phase.run().recordSignals(new PhaseSignals(ID, 2, predicted, confidence, trained, extras));
        return outputs;
    }

    /**
     * Each target image's mixer weights under the final bank, NaN for an image not trained on: of its image
     * description, of its own group description, and of the class texts of its zero-shot label and of its label
     * under the adapted encoder and the bank (§3.3's w_img, w_grp, w_lzs, w_lft).
     *
     * @return [4][N], in the order of {@link #MIXER_SIGNALS}
     */
    private static float[][] mixerWeightsOf(NDArray target, NDArray bank, Texts texts, int[] items,
            PseudoLabels labels) {
        NDManager manager = target.getManager();
        int n = Math.toIntExact(target.getShape().get(0));
        NDArray classTexts = manager.create(FloatRows.join(texts.classes()), new Shape(texts.classes().length,
                texts.classes()[0].length));
        NDArray rows = manager.create(Arrays.stream(items).mapToLong(i -> i).toArray());
        NDArray zeroShot = manager.create(Arrays.stream(items).mapToLong(i -> labels.predicted()[i]).toArray());
        List<NDArray> weights = List.of(
                LatteMath.mixerWeights(matrix(manager, texts.images()), bank),
                LatteMath.mixerWeights(matrix(manager, texts.groups()), bank),
                LatteMath.mixerWeights(classTexts.get(zeroShot), bank),
                LatteMath.mixerWeights(classTexts.get(LatteMath.fineTunedLabels(target.get(rows), bank)), bank));
        float[][] out = new float[weights.size()][n];
        for (int s = 0; s < weights.size(); s++) {
            Arrays.fill(out[s], Float.NaN);
            float[] values = weights.get(s).toFloatArray();
            for (int k = 0; k < items.length; k++) {
                out[s][items[k]] = values[k];
            }
        }
        return out;
    }

    private static WeightedTexts weighted(NDArray features, NDArray snapshot) {
        return new WeightedTexts(features, LatteMath.mixerWeights(features, snapshot));
    }

    private static Map<String, Double> losses(double fineTuned, double zeroShot) {
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("clip_ft", fineTuned);
        losses.put("clip_zs", zeroShot);
        losses.put("total", fineTuned + zeroShot);
        return losses;
    }

    private static NDArray matrix(NDManager manager, float[][] rows) {
        return manager.create(FloatRows.join(rows), new Shape(rows.length, rows[0].length));
    }

    /** Rows as an array of {@code manager} that outlives every scope. */
    private static NDArray kept(NDManager manager, float[][] rows) {
        return kept(matrix(manager, rows), false);
    }

    /** {@code array} out of the current scope, recording gradients when {@code trainable}. */
    private static NDArray kept(NDArray array, boolean trainable) {
        NDScope.unregister(array);
        array.setRequiresGradient(trainable);
        return array;
    }

    private static Tensor tensor(NDArray array) {
        return new Tensor(array.toFloatArray(), array.getShape().getShape());
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> tensors, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> out.put(prefix + name, tensor));
        return out;
    }

    private static OptionalDouble known(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
