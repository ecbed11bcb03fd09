package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * CLIP as a trainable DJL block: image tower, text tower and the learned logit scale. {@code forward} takes
 * (pixels [B, 3, S, S], token ids [N, T]) and returns (image features [B, D], text features [N, D], logit scale);
 * features are raw projections, not yet L2-normalised.
 *
 * <p>{@code training} must be true whenever gradients are wanted, even for frozen towers (e.g. learning prompts
 * through a frozen text encoder): with {@code training} false some activations are computed in place.
 *
 * <p>Every parameter has a canonical name, the one in OpenAI's state dict (e.g.
 * {@code visual.transformer.resblocks.3.attn.in_proj_weight}), by which it is loaded, saved, frozen or trained.
 */
public final class ClipModel extends ClipBlock {
    /** CLIP's initial temperature, ln(1/0.07), for models trained from scratch. */
    public static final float INITIAL_LOGIT_SCALE = (float) Math.log(1 / 0.07);

    private final ClipConfig config;
    private final IntSupplier endOfTextId;
    private final VisionTransformer visual;
    private final TextTransformer text;
    private final Parameter logitScale;
    private final Map<String, Parameter> parametersByName = new LinkedHashMap<>();
    private final Map<String, Shape> shapesByName = new LinkedHashMap<>();

    /**
     * @param endOfTextId the vocabulary id of {@code <|endoftext|>}, where the text tower pools
     */
    public ClipModel(ClipConfig config, int endOfTextId) {
        this(config, () -> endOfTextId);
    }

    /**
     * @param endOfTextId supplies the vocabulary id of {@code <|endoftext|>} when the text tower first needs it, so
     *                    that a model which only ever encodes images never reads the vocabulary
     */
    ClipModel(ClipConfig config, IntSupplier endOfTextId) {
        this.config = config;
        this.endOfTextId = endOfTextId;
        visual = addChildBlock("visual", new VisionTransformer(config.vision(), config.embedDim()));
        text = addChildBlock("text", new TextTransformer(config.text(), config.embedDim(), endOfTextId));
        logitScale = addOwnParameter("logit_scale", new ConstantInitializer(INITIAL_LOGIT_SCALE));
        describeParameters((name, parameter, shape) -> {
            parametersByName.put(name, parameter);
            shapesByName.put(name, shape);
        });
    }

    /** The architecture. */
    public ClipConfig config() {
        return config;
    }

    /** The vocabulary id of {@code <|endoftext|>}, where the text tower pools. */
    public int endOfTextId() {
        return endOfTextId.getAsInt();
    }

    /** Raw image features [B, D] of normalised pixels [B, 3, S, S]. */
    public NDArray encodeImage(ParameterStore store, NDArray pixels, boolean training) {
        return visual.forward(store, new NDList(pixels), training).singletonOrThrow();
    }

    /**
     * Raw image features [B, D] of normalised pixels [B, 3, S, S], with {@code hook} rewriting the tokens before each
     * layer of the image tower (deep visual prompt tuning); {@link LayerHook#NONE} gives {@link #encodeImage}.
     */
    public NDArray encodeImage(ParameterStore store, NDArray pixels, boolean training, LayerHook hook) {
        return visual.encode(store, pixels, training, hook);
    }

    /** Raw text features [N, D] of token ids [N, T]. */
    public NDArray encodeText(ParameterStore store, NDArray tokens, boolean training) {
        return text.forward(store, new NDList(tokens), training).singletonOrThrow();
    }

    /** Raw text features from token embeddings [N, T, width]; {@code tokens} locates the end-of-text token. */
    public NDArray encodeTextEmbeddings(ParameterStore store, NDArray embeddings, NDArray tokens, boolean training) {
        return text.encodeEmbeddings(store, embeddings, tokens, training);
    }

    /** The learned log inverse temperature, a scalar. */
    public NDArray logitScale(ParameterStore store, ai.djl.Device device, boolean training) {
        return store.getValue(logitScale, device, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray pixels = inputs.get(0);
        return new NDList(encodeImage(store, pixels, training), encodeText(store, inputs.get(1), training),
                logitScale(store, pixels.getDevice(), training));
    }

    /** Parameters by canonical name, in state-dict order. */
    public Map<String, Parameter> namedParameters() {
        return Collections.unmodifiableMap(parametersByName);
    }

    /** The shape the configuration requires of each canonically named parameter. */
    public Map<String, Shape> expectedShapes() {
        return Collections.unmodifiableMap(shapesByName);
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        return shapesByName.values().stream().mapToLong(Shape::size).sum();
    }

    /** Makes the parameters whose canonical name matches trainable and freezes all others. */
    public void trainOnly(Predicate<String> trainable) {
        parametersByName.forEach((name, parameter) -> parameter.freeze(!trainable.test(name)));
    }

    /**
     * Allocates every parameter that a checkpoint has not supplied (with CLIP's initializers) and prepares the
     * blocks; parameters already attached are kept as they are.
     */
    public void initialize(NDManager manager, int batchSize) {
        initialize(manager, DataType.FLOAT32, new Shape(batchSize, 3, config.vision().imageSize(),
                config.vision().imageSize()), new Shape(batchSize, config.text().contextLength()));
    }

    /**
     * Prepares the image tower alone, once a checkpoint has supplied its parameters and the logit scale, so that
     * images can be encoded before the text tower's weights are read; {@link #initialize} later completes the model.
     */
    void initializeImageTower(NDManager manager) {
        int size = config.vision().imageSize();
        visual.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
    }

    /** Whether encoding images uses the canonically named parameter: the image tower's and the logit scale. */
    static boolean neededForImages(String canonicalName) {
        return canonicalName.startsWith("visual.") || canonicalName.equals("logit_scale");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.embedDim()),
                new Shape(inputShapes[1].get(0), config.embedDim()), new Shape()};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        setShapeIfUnset(logitScale, new Shape());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        visual.initialize(manager, dataType, inputShapes[0]);
        text.initialize(manager, dataType, inputShapes[1]);
    }

    @Override
    void describeParameters(ParameterSink sink) {
        text.describeParameters(sink);
        visual.describeParameters(sink.under("visual."));
        sink.accept("logit_scale", logitScale, new Shape());
    }
}
