package org.clipwb.core.adapt.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.train.Losses;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.adapt.train.ParameterOptimizer;
import org.clipwb.core.adapt.label.TrainingExamples;

/**
 * The training loop of the baselines that learn on cached embeddings (self-training, CLIP-Adapter, Tip-Adapter-F):
 * minibatch cross-entropy of a small model's logits against the examples' labels, with seeded per-epoch shuffles,
 * the parameters and the optimizer's state checkpointed after every epoch (so a resumed run ends bit-identical to an
 * uninterrupted one), a progress event per step, and per epoch the loss and the accuracy of every target prediction.
 */
final class EmbeddingTrainer {
    private EmbeddingTrainer() {
    }

    /** What is trained. */
    interface Model {
        /** The parameters before the first step, by name, in {@code manager}. */
        Map<String, NDArray> initialParameters(NDManager manager);

        /** The model's forward pass, its constants (class weights, cache values) placed once in {@code manager}. */
        Forward forward(NDManager manager);

        /** The classifier of trained parameters. */
        ClassifierHead head(Map<String, Tensor> parameters);
    }

    /** A model's forward pass. */
    @FunctionalInterface
    interface Forward {
        /** Logits [B, C] of normalised embeddings [B, D] under {@code parameters}, recorded for their gradients. */
        NDArray logits(Map<String, NDArray> parameters, NDArray images);
    }

    /** The id of the training phase of every trained baseline. */
    static final String PHASE = "train";

    /**
     * Runs the training phase (phase 1, after the pseudo-labels) or takes its saved outputs, and returns the trained
     * classifier.
     *
     * @param name what the progress messages call the training, e.g. {@code self-training}
     */
    static ClassifierHead trainPhase(RunContext context, String name, Model model, TrainingExamples examples,
            TrainingRecipe recipe, PseudoLabels pseudo) throws IOException {
        Checkpoint trained = context.phase(PHASE, phase -> train(phase, name, model, examples, recipe, pseudo));
        return model.head(trained.tensors());
    }

    /**
     * Trains {@code model} (or resumes its training from the phase's last epoch) and records the final head's
     * predictions of the target as the phase's signals.
     *
     * @return the phase's outputs: the trained parameters, and how many shots and pseudo-labels were used
     */
    private static Checkpoint.Builder train(PhaseContext phase, String name, Model model,
            TrainingExamples examples, TrainingRecipe recipe, PseudoLabels pseudo) throws IOException {
        AdaptationData data = phase.run().data();
        int n = examples.size();
        int epochs = recipe.epochs();
        int batchesPerEpoch = Minibatches.count(n, recipe.batchSize(), recipe.dropLast());
        long totalSteps = (long) epochs * batchesPerEpoch;
        try (NDManager manager = NDManager.newBaseManager()) {
            Optional<Checkpoint> resume = phase.resumeFrom();
            Map<String, NDArray> parameters = new LinkedHashMap<>(model.initialParameters(manager));
            resume.ifPresent(saved -> parameters.replaceAll((key, initial) -> saved.tensor(key).toArray(manager)));
            parameters.values().forEach(parameter -> parameter.setRequiresGradient(true));
            ParameterOptimizer optimizer = recipe.newOptimizer(manager);
            resume.ifPresent(saved -> optimizer.restore(saved.tensors()));
            int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);

            Forward forward = model.forward(manager);
            NDArray images = Tensor.of(examples.embeddings()).toArray(manager);
            NDArray targets = manager.create(examples.labels()).oneHot(data.classCount());
            long started = System.nanoTime();
            long imagesSeen = 0;
            long stepsDone = 0;
            for (int epoch = firstEpoch; epoch < epochs; epoch++) {
                List<int[]> batches = Minibatches.of(n, recipe.batchSize(), phase.run().seed(), epoch,
                        recipe.dropLast());
                double lossSum = 0;
                int epochImages = 0;
                double rate = Double.NaN;
                for (int b = 0; b < batches.size(); b++) {
                    phase.checkCancelled();
                    int[] batch = batches.get(b);
                    long step = (long) epoch * batchesPerEpoch + b;
                    rate = recipe.rate(epoch, step, batchesPerEpoch);
                    double loss;
                    try (NDScope scope = new NDScope()) {
                        NDArray index = manager.create(batch);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray crossEntropy = Losses.crossEntropy(forward.logits(parameters, images.get(index)),
                                    targets.get(index));
                            collector.backward(crossEntropy);
                            loss = crossEntropy.getFloat();
                        }
                        optimizer.step(parameters, rate);
                    }
                    lossSum += loss * batch.length;
                    epochImages += batch.length;
                    imagesSeen += batch.length;
                    stepsDone++;
                    if (b < batches.size() - 1) {
                        Speed speed = Speed.of(started, imagesSeen, stepsDone, totalSteps - step - 1);
                        phase.report(new ProgressEvent(phase.phase(), epoch + 1, epochs, step + 1, totalSteps,
                                speed.imagesPerSecond(), Map.of("cross-entropy", loss), rate, speed.eta(),
                                Optional.empty(), String.format("%s epoch %d of %d, step %d of %d", name, epoch + 1,
                                        epochs, b + 1, batches.size())));
                    }
                }
                Map<String, Tensor> current = tensors(parameters);
                phase.saveEpoch(Checkpoint.after(epoch + 1).tensors(optimizer.state()).tensors(current).inProgress());
                Predictions predictions = Predictions.of(model.head(current), data.target().embeddings());
                PseudoLabelStats stats = PseudoLabelPhase.stats(pseudo, predictions.labels(), data.target().labels(),
                        OptionalDouble.empty());
                double meanLoss = lossSum / epochImages;
                long stepsLeft = totalSteps - (long) (epoch + 1) * batchesPerEpoch;
                Speed speed = Speed.of(started, imagesSeen, stepsDone, stepsLeft);
                phase.report(new ProgressEvent(phase.phase(), epoch + 1, epochs, (long) (epoch + 1) * batchesPerEpoch,
                        totalSteps, speed.imagesPerSecond(), Map.of("cross-entropy", meanLoss), rate, speed.eta(),
                        Optional.of(stats), String.format("%s epoch %d of %d: loss %.4f%s", name, epoch + 1, epochs,
                                meanLoss, accuracy(stats))));
            }
            Map<String, Tensor> fitted = tensors(parameters);
            Predictions.record(phase.run(), PHASE, 1, model.head(fitted), examples.keptTargets());
            return Checkpoint.after(epochs).tensors(fitted).value("training_examples", n)
                    .value("shots_used", examples.shots()).value("pseudo_labels_used", examples.pseudoLabels());
        }
    }

    private static Map<String, Tensor> tensors(Map<String, NDArray> parameters) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((key, value) -> tensors.put(key, new Tensor(value.toFloatArray(),
                value.getShape().getShape())));
        return tensors;
    }

    private static String accuracy(PseudoLabelStats stats) {
        return stats.accuracyOfAll().isPresent()
                ? String.format(", target accuracy %.1f%%", 100 * stats.accuracyOfAll().getAsDouble()) : "";
    }

    /** Throughput since the run (or its resumption) started, and the time the remaining steps should take. */
    private record Speed(double imagesPerSecond, Optional<Duration> eta) {
        static Speed of(long startedNanos, long imagesSeen, long stepsDone, long stepsLeft) {
            double elapsed = (System.nanoTime() - startedNanos) / 1e9;
            return new Speed(elapsed <= 0 ? 0 : imagesSeen / elapsed,
                    stepsDone == 0 ? Optional.empty()
                            : Optional.of(Duration.ofMillis((long) (elapsed / stepsDone * stepsLeft * 1000))));
        }
    }
}
