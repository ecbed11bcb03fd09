package org.clipwb.core.adapt.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.TrainingExamples;
import org.clipwb.core.adapt.train.EpochBatches;
import org.clipwb.core.adapt.train.Losses;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.adapt.train.ParameterOptimizer;
import org.clipwb.core.model.Scalars;

/**
 * The training loop of every method that learns on cached embeddings (LLU, self-training, CLIP-Adapter,
 * Tip-Adapter-F): minibatch cross-entropy of a small model's logits against the examples' labels, plus the model's
 * own penalty if it has one, with seeded per-epoch shuffles, the parameters and the optimizer's state checkpointed
 * after every epoch (so a resumed run ends bit-identical to an uninterrupted one), a progress event per step, and per
 * epoch the loss. The accuracy of every target prediction is measured on at most {@link #EVALUATIONS} epochs of a
 * phase (always the last), from the current parameters directly: on 20,000 cached images a full prediction per
 * epoch would cost more than the training.
 */
public final class EmbeddingTrainer {
    /** The id of the training phase of the trained baselines. */
    public static final String PHASE = "train";
    /** At most this many evenly spaced epochs of a phase, and the last, measure the target's accuracy. */
    static final int EVALUATIONS = 20;
    /** Target images per forward pass when the target's accuracy is measured. */
    private static final int EVALUATION_BATCH = 4096;

    private EmbeddingTrainer() {
    }

    /** What is trained. */
    public interface Model {
        /** The parameters before the first step, by name, in {@code manager}. */
        Map<String, NDArray> initialParameters(NDManager manager);

        /** The model's forward pass, its constants (class weights, cache values) placed once in {@code manager}. */
        Forward forward(NDManager manager);

        /**
         * What the forward pass takes per image, arrays of N rows computed once for the training and the target
         * images rather than at every step: the normalised embeddings [N, D] by default. A model adds arrays that
         * depend on the image alone (LLU: its mask α(z), whose anchor kernel was the costliest part of a step).
         */
        default NDList inputs(NDArray embeddings) {
            return new NDList(embeddings);
        }

        /** The classifier of trained parameters. */
        ClassifierHead head(Map<String, Tensor> parameters);

        /** A term added to the cross-entropy (LLU's identity regulariser); none by default. */
        default Optional<Penalty> penalty(NDManager manager) {
            return Optional.empty();
        }

        /** What weight decay pulls each named parameter toward instead of zero (LLU: the identity); by default zero. */
        default Map<String, NDArray> decayAnchors(NDManager manager) {
            return Map.of();
        }

        /** The method's own per-image signals of the trained head on the target images (LLU: α(x)). */
        default Map<String, Tensor> signals(ClassifierHead head, float[][] targets) {
            return Map.of();
        }
    }

    /** A model's forward pass. */
    @FunctionalInterface
    public interface Forward {
        /** Logits [B, C] of a batch of {@link Model#inputs} under {@code parameters}, recorded for their gradients. */
        NDArray logits(Map<String, NDArray> parameters, NDList inputs);
    }

    /**
     * A loss term beside the cross-entropy: {@code weight · value(parameters)}.
     *
     * @param name what progress events call the unweighted value
     * @param weight its weight in the loss
     * @param value the unweighted term, a scalar recorded for its gradients
     */
    public record Penalty(String name, double weight, Function<Map<String, NDArray>, NDArray> value) {
    }

    /**
     * Where the training phase sits in its method.
     *
     * @param id the phase's id ({@link #PHASE} for the baselines)
     * @param order its position among the method's phases, for its signals
     * @param name what progress messages call the training, e.g. {@code self-training}
     */
    public record Phase(String id, int order, String name) {
        /** The training phase of a baseline, right after the pseudo-labels. */
        public static Phase baseline(String name) {
            return new Phase(PHASE, 1, name);
        }
    }

    /**
     * Runs the training phase or takes its saved outputs, and returns the trained classifier.
     */
    public static ClassifierHead trainPhase(RunContext context, Phase where, Model model, TrainingExamples examples,
            TrainingRecipe recipe, PseudoLabels pseudo) throws IOException {
        Checkpoint trained = context.phase(where.id(), phase -> train(phase, where, model, examples, recipe, pseudo));
        return model.head(trained.tensors());
    }

    /**
     * Trains {@code model} (or resumes its training from the phase's last epoch) and records the final head's
     * predictions of the target as the phase's signals.
     *
     * @return the phase's outputs: the trained parameters, and how many shots and pseudo-labels were used
     */
    private static Checkpoint.Builder train(PhaseContext phase, Phase where, Model model, TrainingExamples examples,
            TrainingRecipe recipe, PseudoLabels pseudo) throws IOException {
        RunContext run = phase.run();
        AdaptationData data = run.data();
        int n = examples.size();
        int epochs = recipe.epochs();
        int batchesPerEpoch = Minibatches.count(n, recipe.batchSize(), recipe.dropLast());
        long totalSteps = (long) epochs * batchesPerEpoch;
        int evaluateEvery = (epochs + EVALUATIONS - 1) / EVALUATIONS;
        try (NDManager manager = NDManager.newBaseManager(run.device())) {
            Optional<Checkpoint> resume = phase.resumeFrom();
            Map<String, NDArray> parameters = new LinkedHashMap<>(model.initialParameters(manager));
            resume.ifPresent(saved -> parameters.replaceAll((key, initial) -> saved.tensor(key).toArray(manager)));
            parameters.values().forEach(parameter -> parameter.setRequiresGradient(true));
            ParameterOptimizer optimizer = recipe.newOptimizer(manager, model.decayAnchors(manager));
            resume.ifPresent(saved -> optimizer.restore(saved.tensors()));
            int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);

            Forward forward = model.forward(manager);
            Optional<Penalty> penalty = model.penalty(manager);
            // A penalty of weight 0 changes nothing in training: it stays out of the steps' graphs (a dozen operations
            // and their backward pass at each step) and is reported once per epoch instead.
            Optional<Penalty> trainedPenalty = penalty.filter(p -> p.weight() != 0);
            NDList trainingInputs = model.inputs(Tensor.of(examples.embeddings()).toArray(manager));
            NDArray targets = manager.create(examples.labels()).oneHot(data.classCount());
            NDList targetInputs = data.target().size() == 0 ? null
                    : model.inputs(Tensor.of(data.target().embeddings()).toArray(manager));
            long started = System.nanoTime();
            long imagesSeen = 0;
            long stepsDone = 0;
            for (int epoch = firstEpoch; epoch < epochs; epoch++) {
                List<int[]> batches = Minibatches.of(n, recipe.batchSize(), run.seed(), epoch, recipe.dropLast());
                double[] sums = new double[2];
                int epochImages = 0;
                double rate = Double.NaN;
                try (NDScope epochScope = new NDScope()) {
                    List<NDList> batchInputs = EpochBatches.inputs(trainingInputs, batches);
                    NDList batchTargets = EpochBatches.of(targets, batches);
                    for (int b = 0; b < batches.size(); b++) {
                        phase.checkCancelled();
                        int size = batches.get(b).length;
                        long step = (long) epoch * batchesPerEpoch + b;
                        rate = recipe.rate(epoch, step, batchesPerEpoch);
                        double[] terms = step(parameters, forward, trainedPenalty, batchInputs.get(b),
                                batchTargets.get(b), optimizer, rate);
                        sums[0] += terms[0] * size;
                        sums[1] += terms[1] * size;
                        epochImages += size;
                        imagesSeen += size;
                        stepsDone++;
                        if (b < batches.size() - 1) {
                            Speed speed = Speed.of(started, imagesSeen, stepsDone, totalSteps - step - 1);
                            phase.report(new ProgressEvent(where.id(), epoch + 1, epochs, step + 1, totalSteps,
                                    speed.imagesPerSecond(), losses(trainedPenalty, terms[0], terms[1]), rate,
                                    speed.eta(), Optional.empty(), String.format("%s epoch %d of %d, step %d of %d",
                                            where.name(), epoch + 1, epochs, b + 1, batches.size())));
                        }
                    }
                }
                phase.saveEpoch(Checkpoint.after(epoch + 1).tensors(optimizer.state()).tensors(tensors(parameters))
                        .inProgress());
                boolean evaluate = targetInputs != null && ((epoch + 1) % evaluateEvery == 0 || epoch + 1 == epochs);
                int[] predicted = evaluate ? predict(forward, parameters, targetInputs) : null;
                PseudoLabelStats stats = predicted == null
                        ? PseudoLabelPhase.stats(pseudo, data.target().labels(), OptionalDouble.empty())
                        : PseudoLabelPhase.stats(pseudo, predicted, data.target().labels(), OptionalDouble.empty());
                double meanLoss = sums[0] / epochImages;
                double meanPenalty = trainedPenalty.isPresent() || penalty.isEmpty() ? sums[1] / epochImages
                        : valueOf(penalty.get(), parameters);
                long stepsLeft = totalSteps - (long) (epoch + 1) * batchesPerEpoch;
                Speed speed = Speed.of(started, imagesSeen, stepsDone, stepsLeft);
                phase.report(new ProgressEvent(where.id(), epoch + 1, epochs, (long) (epoch + 1) * batchesPerEpoch,
                        totalSteps, speed.imagesPerSecond(), losses(penalty, meanLoss, meanPenalty), rate,
                        speed.eta(), Optional.of(stats), String.format("%s epoch %d of %d: loss %.4f%s", where.name(),
                                epoch + 1, epochs, meanLoss, accuracy(stats))));
            }
            Map<String, Tensor> fitted = tensors(parameters);
            ClassifierHead head = model.head(fitted);
            Predictions predictions = Predictions.of(head, data.target().embeddings());
            run.recordSignals(new PhaseSignals(where.id(), where.order(), predictions.labels(),
                    predictions.confidence(), examples.keptTargets(), model.signals(head, data.target().embeddings())));
            return Checkpoint.after(epochs).tensors(fitted).value("training_examples", n)
                    .value("shots_used", examples.shots()).value("pseudo_labels_used", examples.pseudoLabels());
        }
    }

    /** One optimizer step on a batch; returns the batch's mean cross-entropy and the unweighted penalty. */
    private static double[] step(Map<String, NDArray> parameters, Forward forward, Optional<Penalty> penalty,
            NDList inputs, NDArray targets, ParameterOptimizer optimizer, double rate) {
        double[] terms = new double[2];
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray crossEntropy = Losses.crossEntropy(forward.logits(parameters, inputs), targets);
                NDArray loss = crossEntropy;
                if (penalty.isPresent()) {
                    NDArray extra = penalty.get().value().apply(parameters);
                    loss = crossEntropy.add(Scalars.mul(extra, penalty.get().weight()));
                    terms[1] = extra.getFloat();
                }
                collector.backward(loss);
                terms[0] = crossEntropy.getFloat();
            }
            optimizer.step(parameters, rate);
        }
        return terms;
    }

    /** The unweighted value of {@code penalty} at {@code parameters}, outside any gradient recording. */
    private static double valueOf(Penalty penalty, Map<String, NDArray> parameters) {
        try (NDScope scope = new NDScope()) {
            return penalty.value().apply(parameters).getFloat();
        }
    }

    /** The argmax class of every target image under the current parameters, without building a head. */
    private static int[] predict(Forward forward, Map<String, NDArray> parameters, NDList targetInputs) {
        long n = targetInputs.head().getShape().get(0);
        int[] predicted = new int[(int) n];
        for (long start = 0; start < n; start += EVALUATION_BATCH) {
            long end = Math.min(n, start + EVALUATION_BATCH);
            try (NDScope scope = new NDScope()) {
                NDIndex rows = new NDIndex(start + ":" + end);
                NDList inputs = new NDList(targetInputs.stream().map(input -> input.get(rows)).toArray(NDArray[]::new));
                int[] chunk = forward.logits(parameters, inputs).argMax(1)
                        .toType(DataType.INT32, false).toIntArray();
                System.arraycopy(chunk, 0, predicted, (int) start, chunk.length);
            }
        }
        return predicted;
    }

    private static Map<String, Double> losses(Optional<Penalty> penalty, double crossEntropy, double extra) {
        return penalty.map(p -> Map.of("cross-entropy", crossEntropy, p.name(), extra, "total",
                crossEntropy + p.weight() * extra)).orElse(Map.of("cross-entropy", crossEntropy));
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
