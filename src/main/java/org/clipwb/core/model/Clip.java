package org.clipwb.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.core.tokenizer.ClipTokenizer;
import org.clipwb.core.util.Digests;
import org.clipwb.core.util.FloatRows;
import org.clipwb.core.zeroshot.TextEncoder;

/**
 * A CLIP model ready for inference: weights on a device, its tokenizer and its image preprocessing. Embeddings come
 * out L2-normalised. The vocabulary, the tokenizer and the text tower's weights are read when text is first
 * encoded, so a run that embeds only images never reads them. Each call runs inside an {@link NDScope}: every array
 * it creates, including results that DJL attaches to the model's manager (operations on parameters), is closed
 * before it returns, so native memory stays flat over any number of batches. Calls are serialised: one model, one
 * forward pass at a time.
 */
public final class Clip implements TextEncoder, AutoCloseable {
    /** Texts per forward pass of the text tower. */
    private static final int TEXT_BATCH = 256;
    /**
     * Bumped whenever preprocessing or the port's numerics change in a way that changes embeddings, so that cached
     * embeddings of older versions are not reused. Version 2: the long edge is truncated and the crop placed by
     * each layout's own rule, as the reference processors do.
     */
    private static final String PIPELINE_VERSION = "clipwb-embeddings-2";

    private final String name;
    private final Path directory;
    private final NDManager manager;
    private final ClipModel model;
    private final CheckpointLayout layout;
    private final Path weightsFile;
    private final WeightsFormat weightsFormat;
    private final Object tokenizerLock = new Object();
    /** Read on first use by {@link #tokenizer()}. */
    private ClipTokenizer tokenizer;
    private final ClipPreprocessor preprocessor;
    private final Object textTowerLock = new Object();
    private final Vocabulary vocabulary;
    /** The text tower's weights, read by {@link #withTextTower()} on first use; null once read. */
    private ClipCheckpoint.TextTower unreadTextTower;
    private final ParameterStore store;
    private final float logitScale;
    private final Precision precision;
    /** Reused input of {@link #embedPixels}, grown to the largest batch seen. */
    private ByteBuffer inputBuffer;

    private Clip(String name, Path directory, NDManager manager, Vocabulary vocabulary,
            ClipCheckpoint.ImageFirst checkpoint, ClipPreprocessor preprocessor, Precision precision) {
        this.vocabulary = vocabulary;
        ClipCheckpoint.Loaded loaded = checkpoint.loaded();
        this.unreadTextTower = checkpoint.textTower();
        this.name = name;
        this.directory = directory;
        this.manager = manager;
        this.model = loaded.model();
        this.layout = loaded.layout();
        this.weightsFile = loaded.weightsFile();
        this.weightsFormat = loaded.weightsFormat();
        this.preprocessor = preprocessor;
        this.store = new ParameterStore(manager, false);
        this.precision = precision;
        try (NDScope scope = new NDScope()) {
            this.logitScale = (float) Math.exp(model.logitScale(store, manager.getDevice(), false)
                    .toType(DataType.FLOAT32, false).getFloat());
        }
    }

    /** Loads a model folder (either layout) onto the engine's default device (a GPU when there is one), in fp32. */
    public static Clip load(Path directory, String name) throws IOException {
        return load(directory, name, Engine.getInstance().defaultDevice());
    }

    /** Loads a model folder (either layout) onto {@code device}, in fp32. */
    public static Clip load(Path directory, String name, Device device) throws IOException {
        return load(directory, name, device, Precision.FP32);
    }

    /** Loads a model folder (either layout) onto {@code device}, computing in {@code precision}. */
    public static Clip load(Path directory, String name, Device device, Precision precision) throws IOException {
        return load(directory, name, () -> device, precision);
    }

    /**
     * Loads a model folder (either layout) onto the device that {@code device} resolves to, computing in
     * {@code precision}. The weights are read on another thread while this one resolves the device and starts the
     * engine (loading PyTorch's native libraries takes about 0.4 s of one core), which stays on this thread: the
     * engine keeps some settings, such as autograd's mode, per thread.
     */
    public static Clip load(Path directory, String name, Supplier<Device> device, Precision precision)
            throws IOException {
        // The vocabulary, the tokenizer and the text tower are read on first text use: images need none of them.
        Vocabulary vocabulary = new Vocabulary(directory);
        FutureTask<ClipCheckpoint.Reading> reading = new FutureTask<>(
                () -> ClipCheckpoint.readImageFirst(directory, vocabulary, precision));
        Thread reader = new Thread(reading, "clipwb-weights");
        reader.setDaemon(true);
        reader.start();
        NDManager manager = NDManager.newBaseManager(device.get());
        try {
            ClipCheckpoint.ImageFirst checkpoint = awaitReading(reading).attach(manager);
            ClipCheckpoint.Loaded loaded = checkpoint.loaded();
            ClipModel model = loaded.model();
            // Inference only: no parameter records gradients, whatever the calling thread's autograd mode.
            model.trainOnly(parameter -> false);
            return new Clip(name, directory, manager, vocabulary, checkpoint,
                    new ClipPreprocessor(preprocessing(directory, loaded.layout(), model.config())), precision);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static ClipCheckpoint.Reading awaitReading(FutureTask<ClipCheckpoint.Reading> reading)
            throws IOException {
        try {
            return reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the model's weights");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("reading the model's weights failed", e.getCause());
        }
    }

    private static PreprocessConfig preprocessing(Path directory, CheckpointLayout layout, ClipConfig config)
            throws IOException {
        int imageSize = config.vision().imageSize();
        if (layout == CheckpointLayout.HUGGING_FACE) {
            Path file = directory.resolve(CheckpointLayout.HUGGING_FACE_PREPROCESSOR_FILE);
            return Files.isRegularFile(file) ? PreprocessConfig.fromHuggingFace(file)
                    : PreprocessConfig.huggingFaceDefaults(imageSize);
        }
        Path file = directory.resolve(layout.configFile());
        return PreprocessConfig.fromOpenClip(new ObjectMapper().readTree(file.toFile()).path("preprocess_cfg"),
                imageSize);
    }

    /** The name the user knows the model by (hub id, "demo" or folder). */
    public String name() {
        return name;
    }

    /** The model folder. */
    public Path directory() {
        return directory;
    }

    /**
     * The trainable model, complete: its text tower is read from the weights file on the first call (or the first
     * text embedded), since embedding images never needs it.
     *
     * @throws UncheckedIOException the weights file can no longer be read, or has changed since the model was loaded
     */
    public ClipModel model() {
        return withTextTower();
    }

    /** Number of scalar parameters of the whole model, without reading the text tower. */
    public long parameterCount() {
        return model.parameterCount();
    }

    private ClipModel withTextTower() {
        synchronized (textTowerLock) {
            if (unreadTextTower != null) {
                try {
                    ClipTokenizer.VocabularyFacts vocabulary = this.vocabulary.facts();
                    int textTokens = model.config().text().vocabSize();
                    if (vocabulary.size() > textTokens) {
                        throw new IOException(directory + ": the vocabulary has " + vocabulary.size()
                                + " tokens but the model's text tower only " + textTokens);
                    }
                    unreadTextTower.load();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                unreadTextTower = null;
            }
            return model;
        }
    }

    /** The checkpoint layout the model was read from. */
    public CheckpointLayout layout() {
        return layout;
    }

    /**
     * The tokenizer, sized to the model's context length. It is read on the first call, because reading CLIP's
     * 49,408-token vocabulary and its merges costs about half a second that a run embedding only images never needs.
     *
     * @throws UncheckedIOException the model folder's vocab.json or merges.txt is malformed (the message names the
     *                              file and line)
     */
    public ClipTokenizer tokenizer() {
        synchronized (tokenizerLock) {
            if (tokenizer == null) {
                try {
                    tokenizer = ClipTokenizer.fromDirectory(directory)
                            .withContextLength(model.config().text().contextLength());
                    vocabulary.learn(tokenizer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return tokenizer;
        }
    }

    /** The image preprocessing of this model. */
    public ClipPreprocessor preprocessor() {
        return preprocessor;
    }

    /** Dimension of the joint embedding space. */
    public int embedDim() {
        return model.config().embedDim();
    }

    /** exp(logit_scale): the multiplier of cosine similarities in CLIP's logits. */
    public float logitScale() {
        return logitScale;
    }

    /** The number format the model computes in. */
    public Precision precision() {
        return precision;
    }

    /** The device the weights live on. */
    public Device device() {
        return manager.getDevice();
    }

    /**
     * Normalised image embeddings of {@code count} preprocessed images laid out back to back in {@code pixels}
     * (each {@link ClipPreprocessor#tensorLength()} floats, CHW).
     */
    public synchronized float[][] embedPixels(float[] pixels, int count) {
        int length = count * preprocessor.tensorLength();
        if (inputBuffer == null || inputBuffer.capacity() < length * Float.BYTES) {
            inputBuffer = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        inputBuffer.clear();
        inputBuffer.asFloatBuffer().put(pixels, 0, length);
        inputBuffer.limit(length * Float.BYTES);
        try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
            // A direct buffer becomes the input tensor without a copy; the scope closes it and every intermediate.
            NDArray input = batch.create(inputBuffer, new Shape(count, 3, preprocessor.config().cropHeight(),
                    preprocessor.config().cropWidth()), DataType.FLOAT32).toType(precision.dataType(), false);
            return FloatRows.split(normalise(model.encodeImage(store, input, false)).toFloatArray(), count);
        }
    }

    @Override
    public synchronized float[][] embedTexts(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += TEXT_BATCH) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + TEXT_BATCH));
            int[][] ids = tokenizer().tokenize(chunk);
            try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
                NDArray tokens = batch.create(ids).toType(DataType.INT64, false);
                for (float[] row : FloatRows.split(normalise(withTextTower().encodeText(store, tokens, false))
                        .toFloatArray(),
                        chunk.size())) {
                    out.add(row);
                }
            }
        }
        return out.toArray(float[][]::new);
    }

    /**
     * Identifies the model's embeddings for the embedding cache: a digest of the architecture, the preprocessing, the
     * weights' content digest (from {@code weightsDigest}, which may memoise it) and the pipeline version.
     */
    public String fingerprint(String weightsDigest) throws IOException {
        MessageDigest digest = Digests.sha256();
        digest.update(PIPELINE_VERSION.getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(directory.resolve(layout.configFile())));
        digest.update(preprocessor.config().toString().getBytes(StandardCharsets.UTF_8));
        digest.update(precision.name().getBytes(StandardCharsets.UTF_8));
        digest.update(weightsDigest.getBytes(StandardCharsets.UTF_8));
        return Digests.hex(digest);
    }

    /** The weights file the model was read from, whose content digest identifies the model. */
    public Path weightsFile() {
        return weightsFile;
    }

    /** The format of {@link #weightsFile()}. */
    public WeightsFormat weightsFormat() {
        return weightsFormat;
    }

    /**
     * The end-of-text id of a model folder's vocabulary, read when the text tower first asks for it: finding it takes
     * a pass over the 49,408 entries of CLIP's vocab.json (and the JIT's compiling of the JSON parser that pass makes
     * hot), which a run that embeds only images never needs.
     */
    private static final class Vocabulary implements IntSupplier {
        private final Path directory;
        private ClipTokenizer.VocabularyFacts facts;

        Vocabulary(Path directory) {
            this.directory = directory;
        }

        /** Takes the facts from the loaded tokenizer, so that text embedding does not read vocab.json twice. */
        synchronized void learn(ClipTokenizer tokenizer) {
            if (facts == null) {
                facts = new ClipTokenizer.VocabularyFacts(tokenizer.vocabSize(), tokenizer.eotId());
            }
        }

        synchronized ClipTokenizer.VocabularyFacts facts() throws IOException {
            if (facts == null) {
                facts = ClipTokenizer.vocabularyFacts(directory);
            }
            return facts;
        }

        @Override
        public int getAsInt() {
            try {
                return facts().endOfTextId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** L2-normalised rows, computed in float32 whatever the model's precision. */
    private static NDArray normalise(NDArray features) {
        NDArray exact = features.toType(DataType.FLOAT32, false);
        return exact.div(exact.norm(new int[] {1}, true));
    }

    @Override
    public void close() {
        manager.close();
    }
}
