package org.clipwb.core.adapt.flyp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.images.Augmentation;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.Seeds;
import org.clipwb.core.adapt.images.TrainingImages;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * FLYP's fine-tuning phase (methods.md §1.6): the whole CLIP trained with its own symmetric contrastive loss on
 * (image, caption of its pseudo-label) pairs, then the zero-shot classifier rebuilt from the run's templates with the
 * fine-tuned text tower. Its state after each epoch (every weight and AdamW's moments) is a checkpoint, so that a
 * stopped run resumes from its last epoch and ends as an uninterrupted one.
 */
final class FlypTraining {
    static final String WEIGHTS = "weights.";
    private static final String OPTIMIZER = "adamw.";
    static final String SKIPPED = "skipped_steps";

    private final TrainingImages images;
    private final AdaptationData data;
    private final PromptTemplates templates;
    private final Settings settings;
    private final long seed;

    FlypTraining(TrainingImages images, AdaptationData data, PromptTemplates templates, Settings settings, long seed) {
        this.images = images;
        this.data = data;
        this.templates = templates;
        this.settings = settings;
        this.seed = seed;
    }

    /** The pairs of an epoch: item {@code i} is image {@code chosen[i / T]} under template {@code i % T}. */
    private record Pairs(int[] chosen, int[] labels, int templatesPerImage) {
        int size() {
            return chosen.length * templatesPerImage;
        }

        int image(int item) {
            return chosen[item / templatesPerImage];
        }

        /** The caption's index among every class's captions, {@code label · T + template}. */
        int caption(int item) {
            return labels[image(item)] * templatesPerImage + item % templatesPerImage;
        }
    }

    Checkpoint.Builder train(PhaseContext phase, int order, PseudoLabels labels) throws IOException {
        boolean everyTemplate = settings.choice(FlypSettings.CAPTIONS).equals(FlypSettings.EVERY_TEMPLATE);
        List<String> used = everyTemplate ? templates.templates() : templates.templates().subList(0, 1);
        List<String> captions = new ArrayList<>();
        for (String name : data.classes().names()) {
            used.forEach(template -> captions.add(PromptTemplates.single(template).prompts(name).get(0)));
        }
        int[][] captionTokens = images.clip().tokenizer().tokenize(captions);
        Pairs pairs = new Pairs(labels.selected(), labels.predicted(), used.size());
        boolean trainScale = settings.flag(FlypSettings.TRAIN_LOGIT_SCALE);
        ClipFineTuning tuning = new ClipFineTuning(images, name -> trainScale || !name.equals(ClipFineTuning.LOGIT_SCALE),
                settings.decimal(FlypSettings.WEIGHT_DECAY), 0);
        Optional<Checkpoint> resume = phase.resumeFrom();
        resume.ifPresent(c -> tuning.restore(unprefixed(c, WEIGHTS), unprefixed(c, OPTIMIZER)));
        int epochs = settings.integer(FlypSettings.EPOCHS);
        int batchSize = settings.integer(FlypSettings.BATCH_SIZE);
        int stepsPerEpoch = Minibatches.count(pairs.size(), batchSize, true);
        long totalSteps = (long) epochs * stepsPerEpoch;
        CosineSchedule schedule = new CosineSchedule(settings.decimal(FlypSettings.LEARNING_RATE), totalSteps,
                Math.round(settings.decimal(FlypSettings.WARMUP) * totalSteps), 0, true);
        Augmentation crops = Augmentation.crops(images.clip().preprocessor(), settings.decimal(FlypSettings.CROP_MIN), 1,
                false);
        int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);
        int skipped = resume.flatMap(c -> c.value(SKIPPED)).map(Integer::parseInt).orElse(0);
        PseudoLabelStats stats = new PseudoLabelStats(pairs.chosen().length, labels.size(), OptionalDouble.empty(),
                known(labels.selectedAccuracy(data.target().labels())), OptionalDouble.empty());
        long started = System.nanoTime();
        long stepsThisAttempt = 0;
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            List<int[]> batches = Minibatches.of(pairs.size(), batchSize, Seeds.of(seed, "flyp", "order"), epoch, true);
            List<int[]> imageBatches = batches.stream().map(b -> Arrays.stream(b).map(pairs::image).toArray()).toList();
            double lossSum = 0;
            int pairsSeen = 0;
            try (BatchStream stream = images.stream(imageBatches, List.of(crops), Seeds.of(seed, "flyp", "views", epoch))) {
                for (int b = 0; b < batches.size(); b++) {
                    phase.checkCancelled();
                    int[] batch = batches.get(b);
                    float[] pixels = TrainingImages.next(stream)[0];
                    long step = (long) epoch * stepsPerEpoch + b;
                    double rate = schedule.rate(step);
                    int[] batchCaptions = Arrays.stream(batch).map(pairs::caption).toArray();
                    ClipFineTuning.Step result = tuning.step(() -> tuning.contrastiveLoss(pixels, batchCaptions,
                            captionTokens), rate);
                    skipped += result.taken() ? 0 : 1;
                    lossSum += result.loss() * batch.length;
                    pairsSeen += batch.length;
                    stepsThisAttempt++;
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    phase.report(new ProgressEvent(phase.phase(), epoch + 1, epochs, step + 1, totalSteps,
                            stepsThisAttempt * batchSize / elapsed, Map.of("contrastive", result.loss()), rate,
                            Optional.of(Duration.ofMillis(Math.round(1000 * elapsed / stepsThisAttempt
                                    * (totalSteps - step - 1)))), Optional.empty(), String.format(Locale.ROOT,
                                    "%s epoch %d of %d, step %d of %d", phase.phase(), epoch + 1, epochs, step + 1,
                                    totalSteps)));
                }
            }
            double meanLoss = lossSum / Math.max(1, pairsSeen);
            if (!Double.isFinite(meanLoss)) {
                throw new IllegalStateException("FLYP diverged: the contrastive loss is " + meanLoss + " in epoch "
                        + (epoch + 1) + "; lower the learning rate (--set " + FlypSettings.LEARNING_RATE + "=…)");
            }
            phase.report(new ProgressEvent(phase.phase(), epoch + 1, epochs, (long) (epoch + 1) * stepsPerEpoch,
                    totalSteps, 0, Map.of("contrastive", meanLoss), schedule.rate((long) (epoch + 1) * stepsPerEpoch - 1),
                    Optional.empty(), Optional.of(stats), String.format(Locale.ROOT,
                            "%s epoch %d of %d: contrastive loss %.4f%s", phase.phase(), epoch + 1, epochs, meanLoss,
                            skipped == 0 ? "" : "; " + skipped + " corrupted steps skipped")));
            Checkpoint.Builder state = Checkpoint.after(epoch + 1).value(SKIPPED, skipped);
            tuning.weights().forEach((name, tensor) -> state.tensor(WEIGHTS + name, tensor));
            tuning.optimizerState().forEach((name, tensor) -> state.tensor(OPTIMIZER + name, tensor));
            phase.saveEpoch(state.inProgress());
        }
        return finish(phase, order, tuning, labels).value(SKIPPED, skipped);
    }

    /**
     * The outputs: every fine-tuned weight, the zero-shot classifier rebuilt with the run's templates on the
     * fine-tuned text tower, and the target (and test) embeddings of the fine-tuned image tower; each image's new
     * prediction is recorded as the phase's signals.
     */
    private Checkpoint.Builder finish(PhaseContext phase, int order, ClipFineTuning tuning, PseudoLabels labels)
            throws IOException {
        float scale = tuning.scale(false).getFloat();
        float[][] classWeights = ZeroShotClassifier.build(data.classes(), templates, tuning.textEncoder(), scale)
                .classWeights();
        float[][] target = tuning.embed(images.training());
        Checkpoint.Builder outputs = Checkpoint.after(settings.integer(FlypSettings.EPOCHS))
                .tensor("class_weights", Tensor.of(classWeights))
                .tensor("target_embeddings", Tensor.of(target))
                .value("scale", scale);
        tuning.weights().forEach((name, tensor) -> outputs.tensor(WEIGHTS + name, tensor));
        if (images.test().isPresent()) {
            outputs.tensor("test_embeddings", Tensor.of(tuning.embed(images.test().get())));
        }
        float[][] probabilities = new CosineHead(classWeights, scale).probabilities(target);
        int[] predicted = new int[target.length];
        float[] confidence = new float[target.length];
        for (int i = 0; i < target.length; i++) {
            PseudoLabels.Best best = PseudoLabels.best(probabilities[i]);
            predicted[i] = best.label();
            confidence[i] = best.probability();
        }
        boolean[] kept = new boolean[target.length];
        Arrays.stream(labels.selected()).forEach(i -> kept[i] = true);
        phase.run().recordSignals(new PhaseSignals(phase.phase(), order, predicted, confidence, kept, Map.of()));
        return outputs;
    }

    /** The tensors of {@code checkpoint} whose names start with {@code prefix}, named without it. */
    static Map<String, Tensor> unprefixed(Checkpoint checkpoint, String prefix) {
        return checkpoint.tensors().entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
                .collect(Collectors.toMap(entry -> entry.getKey().substring(prefix.length()), Map.Entry::getValue));
    }

    private static OptionalDouble known(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
