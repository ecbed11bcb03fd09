package org.clipwb.core.adapt.llu;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.LocalizedAffine;
import org.clipwb.core.adapt.head.LluHead;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.TrainingExamples;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.Losses;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.adapt.train.Sgd;
import org.clipwb.core.model.Scalars;
import org.clipwb.core.util.FloatRows;

/**
 * LLU, Localized Latent Updates (Ibing, Lim, Kobbelt, arXiv 2212.06556; methods.md §2): identity-initialised affine
 * maps of the image and text embeddings, applied only near the data they were fitted on through the mask
 * {@code α(z) = β · max_d exp(−γ (1 − zᵀd))}. It trains on cached embeddings only: the labeled shots when the user
 * gave some (LLU is few-shot by design), otherwise the confident zero-shot pseudo-labels.
 */
public final class Llu implements AdaptationMethod {
    /** Anchor sets larger than this are subsampled before clustering, which is O(n²) in memory. */
    static final int MAX_CLUSTERED_POINTS = 4096;
    private static final String FIT = "fit";
    private static final String ANCHORS = "anchors";

    private static final List<Setting> SETTINGS = settings();

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(PseudoLabelPhase.SETTINGS);
        all.add(Setting.choice("llu.train-on", "llu", TrainingExamples.SHOTS, List.of(TrainingExamples.SHOTS,
                TrainingExamples.SHOTS_AND_PSEUDO, TrainingExamples.PSEUDO),
                "With labeled shots: train on the shots only (LLU is few-shot), on shots and pseudo-labels, or on "
                        + "pseudo-labels only; without shots, pseudo-labels are used"));
        all.add(Setting.decimal("llu.beta", "llu", 0.5, 0, 1, "β, the damping of the update (paper §4: 0.5)"));
        all.add(Setting.decimal("llu.gamma", "llu", 20, 0, 1e4, "γ, the locality of the mask (paper §4: 20)"));
        all.add(Setting.decimal("llu.lambda", "llu", 1e3, 0, 1e9,
                "λ, the weight of the identity regulariser ||W − I|| + ||b|| (paper §4: 1e3)"));
        all.add(Setting.choice("llu.regulariser", "llu", "frobenius", List.of("frobenius", "squared-frobenius"),
                "The regulariser's norm: Frobenius as written in Eq. 6, or its square [INFERRED]"));
        all.add(Setting.integer("llu.anchors", "llu", 512, 1, 100_000,
                "Cluster representatives kept per modality (complete linkage; paper §4: 512)"));
        all.add(Setting.flag("llu.renormalise", "llu", true,
                "Renormalise h(z) before the dot product [INFERRED, methods.md §2.2]"));
        all.add(Setting.integer("train.epochs", "training", 200, 1, 100_000,
                "Epochs (CoOp's 200 for 8–16 shots per class, 100 for 2–4, 50 for 1)"));
        all.add(Setting.integer("train.batch-size", "training", 32, 1, 65_536, "Batch size (CoOp: 32)"));
        all.add(Setting.decimal("train.lr", "training", 0.002, 0, 10, "SGD learning rate, cosine schedule (CoOp: 0.002)"));
        all.add(Setting.decimal("train.momentum", "training", 0.9, 0, 1, "SGD momentum (Dassl default 0.9)"));
        all.add(Setting.decimal("train.weight-decay", "training", 5e-4, 0, 1, "Weight decay (Dassl default 5e-4)"));
        all.add(Setting.choice("train.decay-toward", "training", "identity", List.of("identity", "zero"),
                "What weight decay pulls W toward: the identity it starts from, or zero as plain SGD [INFERRED]"));
        all.add(Setting.integer("train.warmup-epochs", "training", 1, 0, 1000,
                "Epochs at the constant warm-up rate before the cosine (CoOp: 1 at 1e-5)"));
        return List.copyOf(all);
    }

    private static final MethodInfo INFO = new MethodInfo("llu", "LLU: localized latent updates",
            "Ibing, Lim, Kobbelt. Localized Latent Updates for Fine-Tuning Vision-Language Models. arXiv 2212.06556",
            List.of(PseudoLabelPhase.INFO,
                    new PhaseInfo(ANCHORS, "Anchors", "Complete-linkage clusters of the training images: where the "
                            + "update applies"),
                    new PhaseInfo(FIT, "Localized affine updates", "SGD of W_I, b_I, W_T, b_T from the identity, "
                            + "cross-entropy plus the identity regulariser")),
            SETTINGS);

    @Override
    public MethodInfo info() {
        return INFO;
    }

    @Override
    public ClassifierHead adapt(RunContext context) throws IOException {
        AdaptationData data = context.data();
        Settings settings = context.settings();
        PseudoLabels pseudo = PseudoLabelPhase.run(context);
        TrainingExamples training = TrainingExamples.of(data, pseudo, settings.choice("llu.train-on"));
        Checkpoint anchors = context.phase(ANCHORS, phase -> {
            phase.report(ProgressEvent.message(ANCHORS, "clustering " + training.embeddings().length
                    + " training images into at most " + settings.integer("llu.anchors") + " anchors"));
            return Checkpoint.after(0)
                    .tensor("image_anchors", Tensor.of(anchors(training.embeddings(), settings.integer("llu.anchors"),
                            context.seed())))
                    .tensor("text_anchors", Tensor.of(anchors(data.classWeights(), settings.integer("llu.anchors"),
                            context.seed())));
        });
        Checkpoint fitted = context.phase(FIT, phase -> fit(phase, data, training, pseudo,
                anchors.tensor("image_anchors"), anchors.tensor("text_anchors")));
        return head(fitted, anchors, data, settings);
    }

    /** The cluster representatives of {@code points}, subsampling (seeded) first when there are too many to cluster. */
    static float[][] anchors(float[][] points, int count, long seed) {
        float[][] clustered = points;
        if (points.length > MAX_CLUSTERED_POINTS) {
            SplittableRandom random = new SplittableRandom(seed);
            int[] order = IntStream.range(0, points.length).toArray();
            for (int i = 0; i < MAX_CLUSTERED_POINTS; i++) {
                int j = i + random.nextInt(points.length - i);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            clustered = IntStream.range(0, MAX_CLUSTERED_POINTS).mapToObj(i -> points[order[i]]).toArray(float[][]::new);
        }
        return CompleteLinkage.representatives(clustered, CompleteLinkage.cluster(clustered, count));
    }

    private static Checkpoint.Builder fit(PhaseContext phase, AdaptationData data, TrainingExamples training,
            PseudoLabels pseudo, Tensor imageAnchors, Tensor textAnchors) throws IOException {
        Settings settings = phase.run().settings();
        int epochs = settings.integer("train.epochs");
        int batchSize = settings.integer("train.batch-size");
        int dim = data.dimension();
        int n = training.labels().length;
        double beta = settings.decimal("llu.beta");
        double gamma = settings.decimal("llu.gamma");
        double lambda = settings.decimal("llu.lambda");
        boolean squared = settings.choice("llu.regulariser").equals("squared-frobenius");
        boolean renormalise = settings.flag("llu.renormalise");
        float scale = data.logitScale();
        int warmup = settings.integer("train.warmup-epochs");
        CosineSchedule schedule = new CosineSchedule(settings.decimal("train.lr"), epochs, warmup, 1e-5, false);
        int batchesPerEpoch = Minibatches.count(n, batchSize, false);
        long totalSteps = (long) epochs * batchesPerEpoch;
        try (NDManager manager = NDManager.newBaseManager(phase.run().device())) {
            NDArray identity = manager.eye(dim);
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            Optional<Checkpoint> resume = phase.resumeFrom();
            for (String name : List.of("image_weight", "text_weight")) {
                parameters.put(name, resume.map(c -> c.tensor(name).toArray(manager)).orElseGet(() -> manager.eye(dim)));
            }
            for (String name : List.of("image_bias", "text_bias")) {
                parameters.put(name, resume.map(c -> c.tensor(name).toArray(manager))
                        .orElseGet(() -> manager.zeros(new Shape(dim))));
            }
            parameters.values().forEach(p -> p.setRequiresGradient(true));
            Sgd optimizer = new Sgd(manager, settings.decimal("train.momentum"), settings.decimal("train.weight-decay"));
            if (settings.choice("train.decay-toward").equals("identity")) {
                optimizer.decayToward("image_weight", identity).decayToward("text_weight", identity);
            }
            resume.ifPresent(c -> optimizer.restore(c.tensors()));
            int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);

            NDArray images = manager.create(join(training.embeddings(), dim), new Shape(n, dim));
            NDArray imageAlpha = LocalizedAffine.alpha(images, imageAnchors.toArray(manager), beta, gamma);
            NDArray texts = Tensor.of(data.classWeights()).toArray(manager);
            NDArray textAlpha = LocalizedAffine.alpha(texts, textAnchors.toArray(manager), beta, gamma);
            NDArray oneHot = manager.create(training.labels()).oneHot(data.classCount());
            long started = System.nanoTime();
            long stepsDone = 0;
            for (int epoch = firstEpoch; epoch < epochs; epoch++) {
                double rate = schedule.rate(epoch);
                double[] sums = new double[2];
                List<int[]> batches = Minibatches.of(n, batchSize, phase.run().seed(), epoch, false);
                for (int[] batch : batches) {
                    phase.checkCancelled();
                    try (NDScope scope = new NDScope()) {
                        NDArray index = manager.create(batch);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray adaptedImages = LocalizedAffine.apply(images.get(index), parameters.get("image_weight"),
                                    parameters.get("image_bias"), imageAlpha.get(index), renormalise);
                            NDArray adaptedTexts = LocalizedAffine.apply(texts, parameters.get("text_weight"),
                                    parameters.get("text_bias"), textAlpha, renormalise);
                            NDArray logits = Scalars.mul(adaptedImages.matMul(adaptedTexts.transpose()), scale);
                            NDArray crossEntropy = Losses.crossEntropy(logits, oneHot.get(index));
                            NDArray regulariser = norm(parameters.get("image_weight").sub(identity), squared)
                                    .add(norm(parameters.get("image_bias"), squared))
                                    .add(norm(parameters.get("text_weight").sub(identity), squared))
                                    .add(norm(parameters.get("text_bias"), squared));
                            NDArray loss = crossEntropy.add(Scalars.mul(regulariser, lambda));
                            collector.backward(loss);
                            sums[0] += crossEntropy.getFloat() * batch.length;
                            sums[1] += regulariser.getFloat() * batch.length;
                        }
                        optimizer.step(parameters, rate);
                    }
                    stepsDone++;
                }
                Checkpoint.Builder state = Checkpoint.after(epoch + 1).tensors(optimizer.state());
                parameters.forEach((name, value) -> state.tensor(name, new Tensor(value.toFloatArray(),
                        value.getShape().getShape())));
                phase.saveEpoch(state.inProgress());
                LluHead current = headOf(state.inProgress(), imageAnchors, textAnchors, data, settings);
                int[] predictions = predict(current, data);
                double elapsed = (System.nanoTime() - started) / 1e9;
                long left = totalSteps - (long) (epoch + 1) * batchesPerEpoch;
                phase.report(new ProgressEvent(FIT, epoch + 1, epochs, (long) (epoch + 1) * batchesPerEpoch, totalSteps,
                        stepsDone == 0 ? 0 : stepsDone * batchSize / elapsed,
                        Map.of("cross-entropy", sums[0] / n, "regulariser", sums[1] / n,
                                "total", (sums[0] + lambda * sums[1]) / n),
                        rate, Optional.of(Duration.ofMillis((long) (elapsed / Math.max(1, stepsDone) * left * 1000))),
                        Optional.of(PseudoLabelPhase.stats(pseudo, predictions, data.target().labels(),
                                OptionalDouble.empty())),
                        String.format("LLU epoch %d of %d: loss %.4f", epoch + 1, epochs, sums[0] / n)));
            }
            Checkpoint.Builder outputs = Checkpoint.after(epochs);
            parameters.forEach((name, value) -> outputs.tensor(name, new Tensor(value.toFloatArray(),
                    value.getShape().getShape())));
            LluHead fitted = headOf(outputs.inProgress(), imageAnchors, textAnchors, data, settings);
            recordSignals(phase.run(), fitted, data, pseudo, training);
            return outputs.value("training_images", n).value("shots_used", training.shots());
        }
    }

    private static NDArray norm(NDArray difference, boolean squared) {
        NDArray square = difference.square().sum();
        // sqrt(x + tiny) has the subgradient 0 at the identity that torch.norm gives; sqrt(x) would give NaN there.
        return squared ? square : square.add(1e-12f).sqrt();
    }

    private static void recordSignals(RunContext context, LluHead head, AdaptationData data, PseudoLabels pseudo,
            TrainingExamples training) throws IOException {
        float[][] probabilities = head.probabilities(data.target().embeddings());
        int n = probabilities.length;
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) {
            PseudoLabels.Best best = PseudoLabels.best(probabilities[i]);
            predicted[i] = best.label();
            confidence[i] = best.probability();
        }
        boolean[] kept = new boolean[n];
        if (training.shots() < training.labels().length) {
            for (int i : pseudo.selected()) {
                kept[i] = true;
            }
        }
        float[] alpha;
        try (NDManager manager = NDManager.newBaseManager()) {
            alpha = head.alpha(Tensor.of(data.target().embeddings()).toArray(manager)).toFloatArray();
        }
        context.recordSignals(new PhaseSignals(FIT, 2, predicted, confidence, kept,
                Map.of("llu.alpha", new Tensor(alpha, n))));
    }

    private static int[] predict(LluHead head, AdaptationData data) {
        return Arrays.stream(head.probabilities(data.target().embeddings()))
                .mapToInt(row -> PseudoLabels.best(row).label()).toArray();
    }

    private static LluHead head(Checkpoint fitted, Checkpoint anchors, AdaptationData data, Settings settings) {
        return headOf(fitted, anchors.tensor("image_anchors"), anchors.tensor("text_anchors"), data, settings);
    }

    /** The classifier of fitted parameters: the image update as it is, the class texts already updated. */
    private static LluHead headOf(Checkpoint parameters, Tensor imageAnchors, Tensor textAnchors, AdaptationData data,
            Settings settings) {
        double beta = settings.decimal("llu.beta");
        double gamma = settings.decimal("llu.gamma");
        boolean renormalise = settings.flag("llu.renormalise");
        float[][] adaptedTexts;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray texts = Tensor.of(data.classWeights()).toArray(manager);
            NDArray alpha = LocalizedAffine.alpha(texts, textAnchors.toArray(manager), beta, gamma);
            NDArray adapted = LocalizedAffine.apply(texts, parameters.tensor("text_weight").toArray(manager),
                    parameters.tensor("text_bias").toArray(manager), alpha, renormalise);
            adaptedTexts = FloatRows.split(adapted.toFloatArray(), data.classCount());
        }
        return new LluHead(parameters.tensor("image_weight").rows(), parameters.tensor("image_bias").values().clone(),
                imageAnchors.rows(), adaptedTexts, beta, gamma, renormalise, data.logitScale());
    }

    private static float[] join(float[][] rows, int dim) {
        return rows.length == 0 ? new float[0] : FloatRows.join(rows);
    }
}
