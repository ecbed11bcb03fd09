package org.clipwb.core.adapt.coft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.LinearHead;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.ImageTransform;
import org.clipwb.core.adapt.images.Seeds;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.Gradients;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.adapt.train.PhaseProgress;
import org.clipwb.core.adapt.train.Sgd;
import org.clipwb.core.model.Scalars;
import org.clipwb.core.util.FloatRows;

/**
 * CoFT's Phase II (methods.md §4.4): the two models filter each other's labels over every target image, then the
 * image encoder is fully fine-tuned on the retained labels (and the labeled shots) against a classifier of the
 * validating model's positive-prompt text features; in CoFT+ with MoCo's contrastive term on every image (§4.5).
 */
final class PhaseTwo {
    private static final String PHASE = "phase2";
    private static final String ENCODER = "encoder.";
    private static final String HEAD = "head.";

    private final CoftImages images;
    private final Settings settings;
    private final long seed;
    private final boolean contrastive;
    private final float[][] zeroShotWeights;

    /** @param zeroShotWeights Phase 0's class weights, the classifier of {@code phase2.head=zero-shot} */
    PhaseTwo(CoftImages images, Settings settings, long seed, boolean contrastive, float[][] zeroShotWeights) {
        this.images = images;
        this.settings = settings;
        this.seed = seed;
        this.contrastive = contrastive;
        this.zeroShotWeights = zeroShotWeights;
    }

    // ---------------------------------------------------------------- collaborative filtering

    /**
     * Scores every target image with both models, combines their verdicts by the {@code phase2.rule} and records
     * each image's S⁺ and S⁻ per class for both models, p_clean, who generated and who validated its label, and
     * whether it was kept. With {@code relabelFor} (CoFT+ between rounds) it also selects the next round's labels.
     */
    Checkpoint.Builder filter(PhaseContext phase, int order, List<DualPromptModel> models, boolean relabel)
            throws IOException {
        phase.report(ProgressEvent.message(phase.phase(), phase.phase() + ": both models score all "
                + images.targets() + " images"));
        List<CollaborativeFilter.ModelScores> scores = new ArrayList<>();
        for (DualPromptModel model : models) {
            scores.add(score(model));
        }
        CollaborativeFilter.Rule rule = CollaborativeFilter.Rule.of(settings.choice(CoftSettings.RULE));
        CollaborativeFilter.ModelScores a = scores.get(0);
        CollaborativeFilter.ModelScores b = scores.get(1);
        CollaborativeFilter.Decision decision = CollaborativeFilter.mostConfident(CollaborativeFilter.decide(rule, a, b),
                settings.decimal(CoftSettings.RETAIN_FRACTION), images.classCount());
        int n = images.targets();
        int[] shown = new int[n];
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept[i] = decision.kept(i);
            shown[i] = kept[i] ? decision.label()[i] : a.predicted(i);
        }
        Map<String, Tensor> extras = new LinkedHashMap<>();
        extras.put("coft.s_pos_a", Tensor.of(a.positive()));
        extras.put("coft.s_neg_a", Tensor.of(a.negative()));
        extras.put("coft.s_pos_b", Tensor.of(b.positive()));
        extras.put("coft.s_neg_b", Tensor.of(b.negative()));
        extras.put("coft.p_clean", Tensor.of(decision.cleanProbability()));
        extras.put("coft.generator", indexTensor(decision.generator()));
        extras.put("coft.validator", indexTensor(decision.validator()));
        phase.run().recordSignals(new PhaseSignals(phase.phase(), order, shown, decision.cleanProbability(), kept,
                extras));
        int[] evaluation = phase.run().data().target().labels();
        double precision = PseudoLabels.accuracy(keptIndices(kept), shown, evaluation);
        double cleanEstimate = meanOver(kept, decision.cleanProbability());
        phase.report(new ProgressEvent(phase.phase(), 0, 0, 1, 1, 0, Map.of(), Double.NaN, Optional.empty(),
                Optional.of(new PseudoLabelStats(decision.retained(), n, optional(cleanEstimate), optional(precision),
                        optional(PseudoLabels.accuracy(allIndices(n), meanPositivePrediction(a, b), evaluation)))),
                String.format(Locale.ROOT, "%s (%s): %d of %d labels retained, mean p_clean %.2f", phase.phase(),
                        settings.choice(CoftSettings.RULE), decision.retained(), n, cleanEstimate)));
        Checkpoint.Builder outputs = Checkpoint.after(0)
                .tensor("label", indexTensor(decision.label()))
                .tensor("validator", indexTensor(decision.validator()))
                .tensor("p_clean", Tensor.of(decision.cleanProbability()))
                .value("retained", decision.retained());
        if (rule == CollaborativeFilter.Rule.TWO_SETS) {
            outputs.tensor("label.ab", indexTensor(CollaborativeFilter.oneWay(a, CollaborativeFilter.MODEL_A, b,
                    CollaborativeFilter.MODEL_B).label()));
            outputs.tensor("label.ba", indexTensor(CollaborativeFilter.oneWay(b, CollaborativeFilter.MODEL_B, a,
                    CollaborativeFilter.MODEL_A).label()));
        }
        if (relabel) {
            PseudoLabels next = nextLabels(a, b, decision);
            outputs.tensor("next.predicted", indexTensor(next.predicted()))
                    .tensor("next.confidence", Tensor.of(next.confidence()))
                    .tensor("next.selected", indexTensor(next.selected()));
        }
        return outputs;
    }

    /** The next round's pseudo-labels, stored by {@link #filter} with {@code relabel}. */
    static PseudoLabels nextLabels(Checkpoint relabelled) {
        return new PseudoLabels(indices(relabelled, "next.predicted"),
                relabelled.tensor("next.confidence").values(), indices(relabelled, "next.selected"));
    }

    /**
     * CoFT+'s re-labelling (§4.5): the softmax of the mean S⁺ of A and B, or the retained labels with their p_clean
     * as confidence; the {@code labels.*} rule then selects.
     */
    private PseudoLabels nextLabels(CollaborativeFilter.ModelScores a, CollaborativeFilter.ModelScores b,
            CollaborativeFilter.Decision decision) {
        int n = images.targets();
        int classes = images.classCount();
        float[][] probabilities = new float[n][];
        if (settings.choice(CoftSettings.RELABEL).equals("retained")) {
            // A retained label gets its p_clean, the other classes share the rest (it stays the argmax: p > 0.5);
            // a discarded image gets a uniform row, so it is selected last and only where a class is short.
            for (int i = 0; i < n; i++) {
                float p = decision.kept(i) ? decision.cleanProbability()[i] : 1f / classes;
                probabilities[i] = new float[classes];
                Arrays.fill(probabilities[i], decision.kept(i) ? (1 - p) / (classes - 1) : p);
                if (decision.kept(i)) {
                    probabilities[i][decision.label()[i]] = p;
                }
            }
        } else {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray mean = manager.create(FloatRows.join(a.positive())).add(manager.create(FloatRows.join(
                        b.positive()))).div(2).reshape(n, classes);
                probabilities = FloatRows.split(mean.softmax(1).toFloatArray(), n);
            }
        }
        PseudoLabels selected = PseudoLabelPhase.select(probabilities, settings);
        if (settings.choice(CoftSettings.RELABEL).equals("retained")) {
            int[] onlyKept = Arrays.stream(selected.selected()).filter(decision::kept).toArray();
            return new PseudoLabels(selected.predicted(), selected.confidence(), onlyKept);
        }
        return selected;
    }

    /** S⁺ and S⁻ of every target image under the model's own preprocessing. */
    private CollaborativeFilter.ModelScores score(DualPromptModel model) throws IOException {
        try (NDScope scope = new NDScope()) {
            List<NDArray> texts = model.texts(false);
            if (model.encoder().towerIsFrozen()) {
                DualPromptModel.Scores s = model.scores(model.encoder().adapt(images.frozenFeatures(
                        java.util.stream.IntStream.range(0, images.targets()).toArray())), texts.get(0), texts.get(1),
                        false);
                return new CollaborativeFilter.ModelScores(FloatRows.split(s.positive().toFloatArray(), images.targets()),
                        FloatRows.split(s.negative().toFloatArray(), images.targets()));
            }
            List<float[][]> rows = images.evaluate(images.training(), images.targets(), pixels -> {
                DualPromptModel.Scores s = model.scores(model.encoder().features(pixels, false), texts.get(0),
                        texts.get(1), false);
                return List.of(s.positive(), s.negative());
            });
            return new CollaborativeFilter.ModelScores(rows.get(0), rows.get(1));
        }
    }

    // ---------------------------------------------------------------- full fine-tuning

    /**
     * What one student learns from: its labels over the target images, each image's weight in the cross-entropy and
     * its classifier's text features.
     */
    private record StudentPlan(int[] labels, float[] weights, float[][] texts) {
    }

    /** A student being fine-tuned: its encoder, classifier, optional MoCo, optimizer. */
    private record Student(ImageEncoder encoder, TrainingHead head, Optional<MomentumContrast> moco, Sgd optimizer) {
        Map<String, NDArray> parameters() {
            Map<String, NDArray> all = new LinkedHashMap<>(encoder.parameters());
            all.putAll(head.parameters());
            moco.ifPresent(m -> all.putAll(m.headParameters()));
            return all;
        }
    }

    /** The classifier a student trains against: fixed scaled cosine to text features, or a trained linear layer. */
    private record TrainingHead(NDArray weight, Optional<NDArray> bias, float scale) {
        NDArray logits(NDArray features) {
            NDArray products = features.matMul(weight.transpose());
            return bias.isPresent() ? products.add(bias.get()) : Scalars.mul(products, scale);
        }

        Map<String, NDArray> parameters() {
            Map<String, NDArray> out = new LinkedHashMap<>();
            bias.ifPresent(b -> {
                out.put(HEAD + "weight", weight);
                out.put(HEAD + "bias", b);
            });
            return out;
        }
    }

    /**
     * Fine-tunes the visual encoder (from its last saved epoch when resumed) on the labels {@code filtered} retained,
     * and returns the final encoder, classifier and the target (and test) embeddings it gives.
     */
    Checkpoint.Builder fineTune(PhaseContext phase, int order, Checkpoint filtered, List<DualPromptModel> models)
            throws IOException {
        List<StudentPlan> plans = plans(filtered, models);
        Optional<Checkpoint> resume = phase.resumeFrom();
        List<Student> students = new ArrayList<>();
        List<int[][]> items = new ArrayList<>();
        for (int s = 0; s < plans.size(); s++) {
            Student student = student(s, plans.get(s), models.get(0));
            String prefix = "s" + s + ".";
            resume.ifPresent(c -> {
                CoftArrays.load(student.parameters(), c.tensors(), prefix);
                student.optimizer().restore(CoftArrays.unprefixed(c, prefix + "sgd."));
                student.moco().ifPresent(m -> m.restore(c.tensors(), prefix));
            });
            students.add(student);
            items.add(items(plans.get(s).labels()));
        }
        int epochs = settings.integer(CoftSettings.epochs(PHASE));
        int batchSize = settings.integer(CoftSettings.batchSize(PHASE));
        CosineSchedule schedule = CosineSchedule.of(settings.decimal(CoftSettings.learningRate(PHASE)), epochs);
        int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);
        int skipped = resume.flatMap(c -> c.value(PhaseOne.SKIPPED)).map(Integer::parseInt).orElse(0);
        long stepsPerEpoch = items.stream().mapToLong(i -> Minibatches.count(i[0].length, batchSize, false)).sum();
        PhaseProgress progress = new PhaseProgress(phase, epochs, epochs * stepsPerEpoch, firstEpoch * stepsPerEpoch,
                CoftSettings.learningRate(PHASE));
        double lambda = contrastive ? settings.decimal(CoftSettings.MOCO_WEIGHT) : 0;
        double[] retained = filteredStats(filtered, phase.run().data().target().labels());
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            double rate = schedule.rate(epoch);
            double[] sums = new double[3];
            for (int s = 0; s < students.size(); s++) {
                int[] image = items.get(s)[0];
                int[] label = items.get(s)[1];
                List<int[]> batches = Minibatches.of(image.length, batchSize, Seeds.of(seed, PHASE, "order", s), epoch,
                        false);
                List<int[]> imageBatches = batches.stream().map(b -> Arrays.stream(b).map(i -> image[i]).toArray())
                        .toList();
                List<ImageTransform> views = contrastive
                        ? List.of(images.augmentation(), images.contrastive(), images.contrastive())
                        : List.of(images.augmentation());
                try (BatchStream stream = images.stream(images.training(), imageBatches, views,
                        Seeds.of(seed, PHASE, "views", s, epoch))) {
                    for (int[] batch : batches) {
                        phase.checkCancelled();
                        float[][] pixels = CoftImages.next(stream);
                        long[] labels = new long[batch.length];
                        float[] weights = new float[batch.length];
                        for (int b = 0; b < batch.length; b++) {
                            weights[b] = label[batch[b]] < 0 ? 0 : image[batch[b]] < images.targets()
                                    ? plans.get(s).weights()[image[batch[b]]] : 1;
                            labels[b] = Math.max(0, label[batch[b]]);
                        }
                        double[] batchLosses = step(students.get(s), pixels, labels, weights, rate);
                        sums[0] += batchLosses[0] * batch.length;
                        sums[1] += batchLosses[1] * batch.length;
                        sums[2] += batch.length;
                        skipped += (int) batchLosses[2];
                        progress.step(epoch, batch.length, losses(batchLosses[0], batchLosses[1], lambda), rate);
                    }
                }
            }
            Checkpoint.Builder state = Checkpoint.after(epoch + 1).value(PhaseOne.SKIPPED, skipped);
            for (int s = 0; s < students.size(); s++) {
                String prefix = "s" + s + ".";
                Student student = students.get(s);
                state.tensors(CoftArrays.save(student.parameters(), prefix));
                student.optimizer().state().forEach((key, tensor) -> state.tensor(prefix + "sgd." + key, tensor));
                student.moco().ifPresent(m -> m.state().forEach((key, tensor) -> state.tensor(prefix + key, tensor)));
            }
            Map<String, Double> losses = losses(sums[0] / sums[2], sums[1] / sums[2], lambda);
            progress.epoch(epoch, losses, rate, new PseudoLabelStats((int) retained[0], images.targets(),
                    optional(retained[1]), optional(retained[2]), OptionalDouble.empty()),
                    String.format(Locale.ROOT, "%s epoch %d of %d: cross-entropy %.4f%s", phase.phase(), epoch + 1,
                            epochs, losses.get("ce"), skipped == 0 ? "" : "; " + skipped + " corrupted steps skipped"));
            phase.saveEpoch(state.inProgress()); // after the check: a diverged epoch is not kept
        }
        return finish(phase, order, students, plans).value(PhaseOne.SKIPPED, skipped);
    }

    /**
     * The students of the rule: one, or two for {@code two-sets}, each with its classifier's text features (Phase 0's
     * classifier, or the other model's positive prompts) and its images' weights.
     */
    private List<StudentPlan> plans(Checkpoint filtered, List<DualPromptModel> models) {
        float[] pClean = filtered.tensor("p_clean").values();
        boolean zeroShot = settings.choice(CoftSettings.HEAD).equals("zero-shot");
        float[][] textsA = zeroShot ? zeroShotWeights : models.get(0).positiveTextRows();
        float[][] textsB = zeroShot ? zeroShotWeights : models.get(1).positiveTextRows();
        if (CollaborativeFilter.Rule.of(settings.choice(CoftSettings.RULE)) == CollaborativeFilter.Rule.TWO_SETS) {
            int[] ab = indices(filtered, "label.ab");
            int[] ba = indices(filtered, "label.ba");
            return List.of(new StudentPlan(ab, weights(ab, pClean), textsB),
                    new StudentPlan(ba, weights(ba, pClean), textsA));
        }
        // ★ the validating model's positive prompts; with labels validated by both, the one that validated most.
        int[] validator = indices(filtered, "validator");
        long byA = Arrays.stream(validator).filter(v -> v == CollaborativeFilter.MODEL_A).count();
        long byB = Arrays.stream(validator).filter(v -> v == CollaborativeFilter.MODEL_B).count();
        int[] labels = indices(filtered, "label");
        return List.of(new StudentPlan(labels, weights(labels, pClean), byA > byB ? textsA : textsB));
    }

    /**
     * Each target image's weight in the cross-entropy: its p_clean or 1 ({@code phase2.sample-weights}), times
     * {@code retained / (C · retained of its class)} with {@code phase2.class-balance}, so that every class weighs
     * the same in total; 0 for a discarded image.
     */
    private float[] weights(int[] labels, float[] pClean) {
        return imageWeights(labels, pClean, images.classCount(),
                settings.choice(CoftSettings.SAMPLE_WEIGHTS).equals("p-clean"), settings.flag(CoftSettings.CLASS_BALANCE));
    }

    /** {@link #weights} with the settings spelled out (−1 = a discarded image). */
    static float[] imageWeights(int[] labels, float[] pClean, int classes, boolean byClean, boolean balance) {
        double[] classTotal = new double[classes];
        double total = 0;
        float[] out = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                out[i] = byClean ? pClean[i] : 1;
                classTotal[labels[i]] += out[i];
                total += out[i];
            }
        }
        if (balance) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= 0) {
                    out[i] = (float) (out[i] * total / (classes * classTotal[labels[i]]));
                }
            }
        }
        return out;
    }

    /**
     * A student's training images and labels (−1 = unlabeled, seen only by MoCo): the retained target images, the
     * labeled shots with their labels (a target image that is a shot counts once, as the shot), and with MoCo on
     * every image the discarded ones.
     */
    private int[][] items(int[] labels) {
        List<int[]> rows = new ArrayList<>();
        boolean everyImage = contrastive && settings.choice(CoftSettings.MOCO_APPLY_TO).equals("all");
        for (int i = 0; i < images.targets(); i++) {
            if (images.shotOf(i) < 0 && (labels[i] >= 0 || everyImage)) {
                rows.add(new int[] {i, labels[i]});
            }
        }
        for (int s = 0; s < images.shots(); s++) {
            rows.add(new int[] {images.targets() + s, images.shotLabel(s)});
        }
        return new int[][] {rows.stream().mapToInt(r -> r[0]).toArray(), rows.stream().mapToInt(r -> r[1]).toArray()};
    }

    private Student student(int index, StudentPlan plan, DualPromptModel modelA) {
        NDManager manager = images.manager();
        TrainableWeights weights = new TrainableWeights(manager, images.model())
                .replace(name -> name.startsWith("visual."), true);
        ImageEncoder encoder = settings.choice(CoftSettings.INIT).equals("model-a")
                ? modelA.encoder().withWeights(weights, manager)
                : new ImageEncoder(images.model(), weights, Optional.empty(), Optional.empty());
        NDArray texts = CoftArrays.parameter(manager, manager.create(FloatRows.join(plan.texts()))
                .reshape(plan.texts().length, plan.texts()[0].length), false);
        TrainingHead head = settings.choice(CoftSettings.HEAD).equals("linear")
                ? new TrainingHead(CoftArrays.parameter(manager, texts.mul(images.scale()), true),
                        Optional.of(CoftArrays.parameter(manager, manager.zeros(new ai.djl.ndarray.types.Shape(
                                plan.texts().length)), true)), 1)
                : new TrainingHead(texts, Optional.empty(), images.scale());
        Optional<MomentumContrast> moco = Optional.empty();
        if (contrastive) {
            int queue = Math.min(settings.integer(CoftSettings.MOCO_QUEUE), items(plan.labels())[0].length);
            moco = Optional.of(MomentumContrast.start(manager, new SplittableRandom(Seeds.of(seed, PHASE, "moco", index)),
                    encoder, images.model().config().embedDim(), settings.integer(CoftSettings.MOCO_DIM),
                    settings.flag(CoftSettings.MOCO_MLP), queue, settings.decimal(CoftSettings.MOCO_MOMENTUM),
                    settings.decimal(CoftSettings.MOCO_TEMPERATURE)));
        }
        Sgd optimizer = new Sgd(manager, settings.decimal(CoftSettings.momentum(PHASE)),
                settings.decimal(CoftSettings.weightDecay(PHASE)));
        return new Student(encoder, head, moco, optimizer);
    }

    private Map<String, Double> losses(double crossEntropy, double infoNce, double lambda) {
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("ce", crossEntropy);
        if (contrastive) {
            losses.put("moco", infoNce);
        }
        losses.put("total", crossEntropy + lambda * infoNce);
        return losses;
    }

    /**
     * One step: the weighted, label-smoothed cross-entropy on the labeled images of the batch ({@code weights} 0 for
     * an unlabeled image), plus λ·InfoNCE with MoCo; both losses and 1 if the step was skipped for corrupted
     * gradients (else 0).
     */
    private double[] step(Student student, float[][] pixels, long[] labels, float[] weights, double rate) {
        NDManager manager = images.manager();
        int count = labels.length;
        double[] losses;
        boolean taken;
        try (NDScope scope = new NDScope()) {
            Optional<NDArray> keys = student.moco().map(m -> {
                m.updateKeyEncoder(); // MoCo moves the key encoder before it computes the keys
                return m.keys(images.pixels(pixels[2], count));
            });
            NDArray mask = manager.create(weights);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray features = student.encoder().features(images.pixels(pixels[0], count), true);
                NDArray ce = CoftArrays.weightedCrossEntropy(student.head().logits(features),
                        manager.create(labels), mask, settings.decimal(CoftSettings.LABEL_SMOOTHING));
                NDArray loss = ce;
                float contrastiveLoss = 0;
                if (keys.isPresent()) {
                    MomentumContrast moco = student.moco().get();
                    NDArray infoNce = moco.loss(moco.queries(student.encoder().features(images.pixels(pixels[1], count),
                            true)), keys.get());
                    loss = loss.add(Scalars.mul(infoNce, settings.decimal(CoftSettings.MOCO_WEIGHT)));
                    contrastiveLoss = infoNce.getFloat();
                }
                collector.backward(loss);
                taken = Gradients.vet(student.parameters().values(),
                        settings.decimal(CoftSettings.maxGradientNorm(PHASE)));
                losses = new double[] {ce.getFloat(), contrastiveLoss};
            }
            if (taken) {
                student.optimizer().step(student.parameters(), rate);
            }
            keys.ifPresent(k -> student.moco().get().enqueue(k));
        }
        return new double[] {losses[0], losses[1], taken ? 0 : 1};
    }

    /**
     * The final encoder (the students' weights averaged when there are two: a model soup of students that started
     * from the same weights [INFERRED]), its classifier, the target and test embeddings it gives, and its signals.
     */
    private Checkpoint.Builder finish(PhaseContext phase, int order, List<Student> students, List<StudentPlan> plans)
            throws IOException {
        ImageEncoder encoder = students.get(0).encoder();
        if (students.size() > 1) {
            encoder.parameters().forEach((name, array) -> {
                try (NDScope scope = new NDScope()) {
                    NDArray sum = array.duplicate();
                    for (int s = 1; s < students.size(); s++) {
                        sum.addi(students.get(s).encoder().parameters().get(name));
                    }
                    TrainableWeights.assign(array, sum.div(students.size()).toFloatArray());
                }
            });
        }
        interpolateTowardsPretrained(encoder, settings.decimal(CoftSettings.WISE_ALPHA));
        ClassifierHead head = head(students, plans);
        float[][] target = embed(encoder, images.training(), images.targets());
        Checkpoint.Builder outputs = Checkpoint.after(settings.integer(CoftSettings.epochs(PHASE)))
                .tensors(CoftArrays.save(encoder.parameters(), ENCODER))
                .tensor("target_embeddings", Tensor.of(target))
                .value("head.kind", head.kind())
                .value("encoder.modules", encoder.hasModules());
        head.tensors().forEach((name, tensor) -> outputs.tensor(HEAD + name, tensor));
        head.scalars().forEach((name, value) -> outputs.value(HEAD + name, value));
        if (images.test().isPresent()) {
            outputs.tensor("test_embeddings", Tensor.of(embed(encoder, images.test().get(), images.test().get().size())));
        }
        float[][] probabilities = head.probabilities(target);
        int n = target.length;
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            PseudoLabels.Best best = PseudoLabels.best(probabilities[i]);
            predicted[i] = best.label();
            confidence[i] = best.probability();
            for (StudentPlan plan : plans) {
                kept[i] |= plan.labels()[i] >= 0;
            }
        }
        phase.run().recordSignals(new PhaseSignals(phase.phase(), order, predicted, confidence, kept, Map.of()));
        return outputs;
    }

    /**
     * WiSE-FT (Wortsman et al. 2022): every fine-tuned weight of the image tower becomes {@code (1 − α)·θ_0 + α·θ},
     * θ_0 the loaded model's weight; α = 1 keeps the fine-tuned weights. Modules without a pretrained counterpart
     * (model A's visual prompts or adapter, {@code phase2.init=model-a}) are kept as trained.
     */
    private void interpolateTowardsPretrained(ImageEncoder encoder, double alpha) {
        if (alpha >= 1) {
            return;
        }
        var pretrained = images.model().namedParameters();
        encoder.parameters().forEach((name, array) -> {
            var original = pretrained.get(name);
            if (original != null) {
                try (NDScope scope = new NDScope()) {
                    NDArray mixed = array.mul(alpha).add(original.getArray().mul(1 - alpha));
                    TrainableWeights.assign(array, mixed.toFloatArray());
                }
            }
        });
    }

    /** The exported classifier: the mean of the students' (renormalised texts, or linear layers). */
    private ClassifierHead head(List<Student> students, List<StudentPlan> plans) {
        int classes = images.classCount();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.zeros(students.get(0).head().weight().getShape());
            NDArray bias = manager.zeros(new ai.djl.ndarray.types.Shape(classes));
            for (Student student : students) {
                weight.addi(manager.create(student.head().weight().toFloatArray(), weight.getShape()));
                student.head().bias().ifPresent(b -> bias.addi(manager.create(b.toFloatArray())));
            }
            weight = weight.div(students.size());
            if (students.get(0).head().bias().isPresent()) {
                return new LinearHead(FloatRows.split(weight.toFloatArray(), classes),
                        bias.div(students.size()).toFloatArray());
            }
            return new CosineHead(FloatRows.split(CoftArrays.normalise(weight).toFloatArray(), classes),
                    images.scale());
        }
    }

    /** The classifier saved by {@link #fineTune}. */
    static ClassifierHead savedHead(Checkpoint tuned) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tuned.tensors().forEach((name, tensor) -> {
            if (name.startsWith(HEAD)) {
                tensors.put(name.substring(HEAD.length()), tensor);
            }
        });
        if (tuned.value("head.kind").orElseThrow().equals("linear")) {
            return new LinearHead(tensors.get("weight").rows(), tensors.get("bias").values().clone());
        }
        return new CosineHead(tensors.get("class_weights").rows(),
                Float.parseFloat(tuned.value(HEAD + "scale").orElseThrow()));
    }

    /** The fine-tuned encoder's weights (canonical names; prompts and adapter under their own), from the outputs. */
    static Map<String, Tensor> savedEncoder(Checkpoint tuned) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        tuned.tensors().forEach((name, tensor) -> {
            if (name.startsWith(ENCODER)) {
                weights.put(name.substring(ENCODER.length()), tensor);
            }
        });
        return weights;
    }

    private float[][] embed(ImageEncoder encoder, org.clipwb.core.adapt.images.DecodedImages set, int count)
            throws IOException {
        return images.evaluate(set, count, pixels -> List.of(encoder.features(pixels, false))).get(0);
    }

    /** Retained count, mean p_clean of the retained labels and their precision against evaluation labels. */
    private static double[] filteredStats(Checkpoint filtered, int[] evaluation) {
        int[] labels = indices(filtered, "label");
        float[] pClean = filtered.tensor("p_clean").values();
        boolean[] kept = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            kept[i] = labels[i] >= 0;
        }
        int[] retained = keptIndices(kept);
        return new double[] {retained.length, meanOver(kept, pClean), PseudoLabels.accuracy(retained, labels, evaluation)};
    }

    // ---------------------------------------------------------------- small helpers

    /** Class indices (−1 for none) as a checkpoint tensor. */
    private static Tensor indexTensor(int[] indices) {
        return Tensor.of(PseudoLabelPhase.toFloats(indices));
    }

    /** Class indices saved by {@link #indexTensor}. */
    private static int[] indices(Checkpoint checkpoint, String name) {
        return PseudoLabelPhase.toInts(checkpoint.tensor(name).values());
    }

    private static int[] meanPositivePrediction(CollaborativeFilter.ModelScores a, CollaborativeFilter.ModelScores b) {
        int[] out = new int[a.positive().length];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < a.positive()[i].length; c++) {
                if (a.positive()[i][c] + b.positive()[i][c] > a.positive()[i][best] + b.positive()[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    static int[] keptIndices(boolean[] kept) {
        return java.util.stream.IntStream.range(0, kept.length).filter(i -> kept[i]).toArray();
    }

    private static int[] allIndices(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    private static double meanOver(boolean[] kept, float[] values) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                sum += values[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static OptionalDouble optional(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
