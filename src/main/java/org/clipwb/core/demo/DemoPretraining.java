package org.clipwb.core.demo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.LongStream;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.core.model.ActivationKind;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.model.Scalars;
import org.clipwb.core.tokenizer.BpeTrainer;
import org.clipwb.core.tokenizer.ClipTokenizer;
import org.clipwb.core.util.AtomicFiles;

/**
 * Contrastive pretraining of the demo CLIP on the demo world, with the product's own CLIP blocks: learn a BPE
 * vocabulary from a caption corpus, then train both towers from random initialisation on an endless stream of
 * rendered scenes and their captions. The loss is CLIP's symmetric cross-entropy, with one refinement that a
 * synthetic world allows: every caption in the batch that truly describes an image counts as a match for it (targets
 * spread evenly over them), so the many scenes that fit "a photo of a circle" are not pushed apart as negatives.
 *
 * <p>The run keeps a checkpoint in {@code <output>/.pretraining/} and resumes from it when started again with the
 * same settings (AdamW's moment estimates restart, the weights and schedule do not), or continues a run with more
 * steps (its schedule then stretches to the new length from where the run is).
 */
public final class DemoPretraining {
    /** The state folder inside the output folder. */
    public static final String STATE_FOLDER = ".pretraining";
    /** The record of settings and metrics written beside the finished model. */
    public static final String RECORD_FILE = "pretraining.json";

    private static final long CORPUS_STREAM = 1;
    private static final long TRAINING_STREAM = 2;
    private static final float MAX_GRADIENT_NORM = 1f;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to train, and how.
     *
     * @param evalEvery steps between zero-shot evaluations on held-out renders (and checkpoints)
     */
    public record Settings(long seed, int steps, int batchSize, double peakLearningRate, double weightDecay,
            int warmupSteps, int vocabularySize, int corpusCaptions, int evalImages, int evalEvery,
            int imageSize, int patchSize, int visionWidth, int visionLayers, int textWidth, int textLayers,
            int contextLength, int embedDim) {

        /** The settings of the shipped demo model. */
        public static Settings shipped() {
            return new Settings(7, 5000, 128, 1e-3, 0.1, 200, 1024, 100_000, 1000, 250,
                    64, 8, 128, 4, 128, 3, 28, 128);
        }

        public Settings {
            if (steps < 1 || batchSize < 2 || evalEvery < 1 || warmupSteps < 0 || warmupSteps >= steps) {
                throw new IllegalArgumentException("need steps >= 1, batch size >= 2, evaluation interval >= 1 and "
                        + "0 <= warm-up < steps (got steps " + steps + ", batch " + batchSize + ", warm-up "
                        + warmupSteps + ", every " + evalEvery + ")");
            }
        }

        /** The same model and optimiser for another run: seed, length, batch size, warm-up and evaluation interval. */
        public Settings withRun(long newSeed, int newSteps, int newBatchSize, int newWarmupSteps, int newEvalEvery) {
            return new Settings(newSeed, newSteps, newBatchSize, peakLearningRate, weightDecay, newWarmupSteps,
                    vocabularySize, corpusCaptions, evalImages, newEvalEvery, imageSize, patchSize, visionWidth,
                    visionLayers, textWidth, textLayers, contextLength, embedDim);
        }

        /** The same settings for a run of {@code newSteps} steps. */
        Settings withSteps(int newSteps) {
            return withRun(seed, newSteps, batchSize, warmupSteps, evalEvery);
        }

        /** The architecture for a vocabulary of {@code vocabularySize} tokens: 64-wide attention heads. */
        ClipConfig architecture(int tokens) {
            return new ClipConfig(embedDim,
                    new ClipConfig.VisionConfig(imageSize, patchSize, visionWidth, visionLayers,
                            Math.max(1, visionWidth / 64), 4 * visionWidth, ActivationKind.QUICK_GELU),
                    new ClipConfig.TextConfig(contextLength, tokens, textWidth, textLayers,
                            Math.max(1, textWidth / 64), 4 * textWidth, ActivationKind.QUICK_GELU));
        }
    }

    /** Zero-shot accuracy on held-out renders at one step. */
    public record Metrics(int step, double shapeAccuracy, double colourAccuracy) {
    }

    /**
     * Where the run is. {@code latest} is the most recent evaluation (null before the first); {@code skippedSteps}
     * counts the steps of this session whose gradients were not finite.
     */
    public record Progress(int step, int steps, double loss, double learningRate, double temperature,
            double imagesPerSecond, Duration elapsed, Duration remaining, Metrics latest, int skippedSteps) {
    }

    /** Receives progress once per step (from the training thread). */
    @FunctionalInterface
    public interface Listener {
        void onProgress(Progress progress);
    }

    /** The finished model and how it was made. */
    public record Result(Path modelFolder, long parameters, Duration wallTime, Metrics finalMetrics,
            List<Metrics> history) {
    }

    /** What the state file records; a run resumes only when the settings are the same. */
    record State(Settings settings, int step, double elapsedSeconds, List<Metrics> history) {
    }

    private DemoPretraining() {
    }

    /**
     * Trains the demo model into {@code output} (Hugging Face layout plus {@code pretraining.json}). Resumes from the
     * state folder when it holds a run with the same settings.
     *
     * @throws InterruptedException when the thread is interrupted; the last checkpoint is kept for resuming
     */
    public static Result run(Settings settings, Path output, Listener listener)
            throws IOException, InterruptedException {
        Path stateDir = output.resolve(STATE_FOLDER);
        Path checkpoint = stateDir.resolve("checkpoint");
        Files.createDirectories(checkpoint);
        State state = readState(stateDir, settings);
        if (state == null) {
            BpeTrainer.train(corpus(settings), settings.vocabularySize(), checkpoint);
            state = new State(settings, 0, 0, List.of());
        }
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(checkpoint);
        ClipConfig architecture = settings.architecture(tokenizer.vocabSize());
        PreprocessConfig preprocessing = PreprocessConfig.huggingFaceDefaults(settings.imageSize());
        ClipPreprocessor preprocessor = new ClipPreprocessor(preprocessing);
        ClipTokenizer sized = tokenizer.withContextLength(settings.contextLength());

        Engine.getInstance().setRandomSeed((int) settings.seed());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ClipModel model;
            if (state.step() == 0) {
                model = new ClipModel(architecture, tokenizer.eotId());
                model.namedParameters().get("visual.positional_embedding")
                        .setArray(patchPositions(manager, architecture.vision()));
            } else {
                model = ClipCheckpoint.load(checkpoint, tokenizer.eotId(), manager).model();
            }
            model.initialize(manager, settings.batchSize());
            model.trainOnly(name -> true);
            ParameterStore store = new ParameterStore(manager, false);
            Tracker schedule = schedule(settings);
            Optimizer decayed = optimizer(schedule, settings.weightDecay(), state.step());
            Optimizer undecayed = optimizer(schedule, 0, state.step());

            List<Metrics> history = new ArrayList<>(state.history());
            double elapsedBefore = state.elapsedSeconds();
            double elapsed = elapsedBefore;
            long started = System.nanoTime();
            int skippedSteps = 0;
            BatchPrefetcher batches = new BatchPrefetcher(settings, state.step(), preprocessor, sized);
            try {
                for (int step = state.step() + 1; step <= settings.steps(); step++) {
                    PretrainingBatch batch = batches.next();
                    float[] lossAndScale = trainStep(model, store, manager, batch, settings);
                    if (!update(model, decayed, undecayed)) {
                        skippedSteps++;
                    }
                    elapsed = elapsedBefore + (System.nanoTime() - started) / 1e9;
                    boolean last = step == settings.steps();
                    if (step % settings.evalEvery() == 0 || last) {
                        ClipCheckpoint.saveOpenClip(model, checkpoint, preprocessing);
                        history.add(evaluate(checkpoint, step, settings.evalImages()));
                        writeState(stateDir, new State(settings, step, elapsed, history));
                    }
                    int done = step - state.step();
                    double perStep = (System.nanoTime() - started) / 1e9 / done;
                    listener.onProgress(new Progress(step, settings.steps(), lossAndScale[0],
                            schedule.getNewValue(step), Math.exp(lossAndScale[1]),
                            settings.batchSize() / perStep, Duration.ofMillis((long) (elapsed * 1000)),
                            Duration.ofMillis((long) (perStep * (settings.steps() - step) * 1000)),
                            history.isEmpty() ? null : history.get(history.size() - 1), skippedSteps));
                    // Clears the flag: the checkpoint's file channels would refuse to work on an interrupted thread.
                    if (Thread.interrupted()) {
                        ClipCheckpoint.saveOpenClip(model, checkpoint, preprocessing);
                        writeState(stateDir, new State(settings, step, elapsed, history));
                        throw new InterruptedException("pretraining stopped at step " + step + "; run again with "
                                + "the same settings to resume");
                    }
                }
            } finally {
                batches.close();
            }
            ClipCheckpoint.saveHuggingFace(model, output, preprocessing);
            for (String file : List.of("vocab.json", "merges.txt")) {
                AtomicFiles.write(output.resolve(file), Files.readAllBytes(checkpoint.resolve(file)));
            }
            Duration wallTime = Duration.ofMillis((long) (elapsed * 1000));
            Result result = new Result(output, model.parameterCount(), wallTime, history.get(history.size() - 1),
                    List.copyOf(history));
            AtomicFiles.write(output.resolve(RECORD_FILE), JSON.writeValueAsBytes(new Record(settings,
                    result.parameters(), wallTime.toSeconds(), result.finalMetrics(), result.history())));
            return result;
        }
    }

    /** What {@code pretraining.json} beside the model records: how it was made and how good it is. */
    record Record(Settings settings, long parameters, long wallSeconds, Metrics finalMetrics, List<Metrics> history) {
    }

    /**
     * One AdamW step on every parameter, with the gradients scaled down to a global norm of at most
     * {@link #MAX_GRADIENT_NORM} (a from-scratch transformer otherwise meets the odd spike that ruins it); a step whose
     * gradients are not finite is skipped. Then the gradients are zeroed, since PyTorch accumulates them. The gradient
     * handles are closed at once: they are views that would otherwise pile up in the model's manager.
     *
     * @return whether the step was taken
     */
    private static boolean update(ClipModel model, Optimizer decayed, Optimizer undecayed) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        try {
            model.namedParameters().forEach((name, parameter) -> gradients.put(name,
                    parameter.getArray().getGradient()));
            double norm;
            try (NDScope scope = new NDScope()) {
                NDArray squares = NDArrays.stack(new NDList(gradients.values().stream()
                        .map(gradient -> gradient.square().sum()).toArray(NDArray[]::new)));
                norm = Math.sqrt(squares.sum().getFloat());
            }
            boolean finite = Double.isFinite(norm);
            if (finite) {
                float scale = (float) Math.min(1, MAX_GRADIENT_NORM / (norm + 1e-6));
                for (Map.Entry<String, NDArray> entry : gradients.entrySet()) {
                    NDArray weight = model.namedParameters().get(entry.getKey()).getArray();
                    NDArray gradient = scale < 1 ? entry.getValue().muli(scale) : entry.getValue();
                    // No decay on gains, biases, embeddings and the temperature, as in CLIP.
                    boolean decay = weight.getShape().dimension() == 2 && !entry.getKey().contains("embedding");
                    (decay ? decayed : undecayed).update(entry.getKey(), weight, gradient);
                }
            }
            gradients.values().forEach(gradient -> gradient.set(new NDIndex("..."), 0));
            return finite;
        } finally {
            gradients.values().forEach(NDArray::close);
        }
    }

    /** Forward and backward pass; returns the loss and the log temperature. */
    private static float[] trainStep(ClipModel model, ParameterStore store, NDManager manager, PretrainingBatch batch,
            Settings settings) {
        int n = batch.size();
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray pixels = step.create(batch.pixels(), new Shape(n, 3, settings.imageSize(), settings.imageSize()));
            NDArray tokens = step.create(batch.tokens()).toType(DataType.INT64, false);
            NDArray matches = step.create(batch.matches(), new Shape(n, n));
            NDArray image = model.encodeImage(store, pixels, true);
            NDArray text = model.encodeText(store, tokens, true);
            image = image.div(image.norm(new int[] {1}, true));
            text = text.div(text.norm(new int[] {1}, true));
            NDArray logits = image.matMul(text.transpose())
                    .mul(model.logitScale(store, pixels.getDevice(), true).exp());
            NDArray imageToText = logits.logSoftmax(1).mul(matches.div(matches.sum(new int[] {1}, true))).sum();
            NDArray textToImage = logits.logSoftmax(0).mul(matches.div(matches.sum(new int[] {0}, true))).sum();
            NDArray loss = Scalars.div(imageToText.add(textToImage), -2f * n);
            collector.backward(loss);
            return new float[] {loss.getFloat(), model.logitScale(store, pixels.getDevice(), false).getFloat()};
        }
    }

    /**
     * Initial image positional embeddings: 2-D sine-cosine codes of each patch's row and column (as in MAE), zero for
     * the class token. A small ViT trained from scratch on little data learns shapes far sooner when it starts with
     * a sense of which patches are neighbours than from CLIP's random initialisation; the codes stay trainable.
     */
    static NDArray patchPositions(NDManager manager, ClipConfig.VisionConfig vision) {
        int grid = vision.grid();
        int width = vision.width();
        int quarter = width / 4;
        float[] codes = new float[vision.tokens() * width];
        for (int patch = 0; patch < grid * grid; patch++) {
            int offset = (patch + 1) * width;
            int[] coordinates = {patch / grid, patch % grid};
            for (int axis = 0; axis < 2; axis++) {
                for (int i = 0; i < quarter; i++) {
                    double angle = coordinates[axis] / Math.pow(10_000, (double) i / quarter);
                    codes[offset + axis * 2 * quarter + i] = (float) Math.sin(angle);
                    codes[offset + axis * 2 * quarter + quarter + i] = (float) Math.cos(angle);
                }
            }
        }
        return manager.create(codes, new Shape(vision.tokens(), width));
    }

    /**
     * AdamW on the schedule, from {@code firstStep} on: a resumed run's optimizer counts its updates from 1 again
     * (its moments start afresh), but the learning rate continues where the schedule was.
     */
    private static Optimizer optimizer(Tracker schedule, double weightDecay, int firstStep) {
        Tracker continued = update -> schedule.getNewValue(firstStep + update);
        return Optimizer.adamW().optLearningRateTracker(continued).optWeightDecays((float) weightDecay)
                .optBeta2(0.98f).optEpsilon(1e-6f).build();
    }

    /** Linear warm-up, then cosine decay to a twentieth of the peak. */
    private static Tracker schedule(Settings settings) {
        float peak = (float) settings.peakLearningRate();
        Tracker cosine = CosineTracker.builder().setBaseValue(peak).optFinalValue(peak / 20)
                .setMaxUpdates(settings.steps() - settings.warmupSteps()).build();
        return WarmUpTracker.builder().setMainTracker(cosine).optWarmUpSteps(settings.warmupSteps())
                .optWarmUpBeginValue(peak / 100).build();
    }

    private static Metrics evaluate(Path checkpoint, int step, int images) throws IOException {
        try (Clip clip = Clip.load(checkpoint, "pretraining step " + step)) {
            return new Metrics(step,
                    WorldEvaluation.zeroShot(clip, WorldTask.SHAPE, WorldEvaluation.HELD_OUT_SEED, images).accuracy(),
                    WorldEvaluation.zeroShot(clip, WorldTask.COLOUR, WorldEvaluation.HELD_OUT_SEED, images)
                            .accuracy());
        }
    }

    /** The captions the vocabulary is learned from: a stream of its own, so they are not the training captions. */
    static List<String> corpus(Settings settings) {
        return LongStream.range(0, settings.corpusCaptions()).mapToObj(i -> {
            var random = SceneSampler.randomFor(settings.seed() * 31 + CORPUS_STREAM, i);
            return Captioner.caption(SceneSampler.sample(random), random).text();
        }).toList();
    }

    private static State readState(Path stateDir, Settings settings) throws IOException {
        Path file = stateDir.resolve("state.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        State state = JSON.readValue(file.toFile(), State.class);
        if (state.settings().equals(settings)) {
            return state;
        }
        boolean extended = state.settings().withSteps(settings.steps()).equals(settings)
                && settings.steps() > state.step();
        if (!extended) {
            throw new IOException(stateDir + " holds a run with other settings (" + state.settings() + "); delete "
                    + "that folder to start afresh, or run with its settings (or only more steps) to continue it");
        }
        return new State(settings, state.step(), state.elapsedSeconds(), state.history());
    }

    private static void writeState(Path stateDir, State state) throws IOException {
        AtomicFiles.write(stateDir.resolve("state.json"), JSON.writeValueAsBytes(state));
    }

    /**
     * The curriculum: most scenes are plain ones (one solid object on a plain backdrop) at first, so that the image
     * tower finds shapes before it has to find them among clutter (a small ViT from scratch learns them several
     * times sooner there); from 60% of the run on, 30% are.
     */
    static double plainShare(long step, int steps) {
        double progress = Math.min(1, step / (0.6 * steps));
        return 0.8 - 0.5 * progress;
    }

    /** Renders batches on a thread of its own, one step ahead of training. */
    private static final class BatchPrefetcher implements AutoCloseable {
        private final BlockingQueue<PretrainingBatch> queue = new ArrayBlockingQueue<>(2);
        private final Thread thread;

        BatchPrefetcher(Settings settings, int firstStep, ClipPreprocessor preprocessor, ClipTokenizer tokenizer) {
            long stream = settings.seed() * 31 + TRAINING_STREAM;
            thread = new Thread(() -> {
                try {
                    for (long step = firstStep; step < settings.steps(); step++) {
                        queue.put(PretrainingBatch.render(stream, step, settings.batchSize(),
                                plainShare(step, settings.steps()), preprocessor, tokenizer));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pretraining-batches");
            thread.setDaemon(true);
            thread.start();
        }

        PretrainingBatch next() throws InterruptedException {
            return queue.take();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
