package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * CLIP's text tower: token and positional embeddings, a causal transformer, ln_final, the hidden state at the first
 * end-of-text token, projection. Input [B, T] token ids (T at most the context length); output [B, embedDim].
 */
final class TextTransformer extends ClipBlock {
    private final ClipConfig.TextConfig config;
    private final int embedDim;
    private final IntSupplier endOfTextId;
    private final Parameter tokenEmbedding;
    private final Parameter positionalEmbedding;
    private final Transformer transformer;
    private final LayerNorm lnFinal;
    private final Parameter projection;
    private final float[] causalMask;

    TextTransformer(ClipConfig.TextConfig config, int embedDim, IntSupplier endOfTextId) {
        this.config = config;
        this.embedDim = embedDim;
        this.endOfTextId = endOfTextId;
        causalMask = buildCausalMask(config.contextLength());
        tokenEmbedding = addOwnParameter("token_embedding", new NormalInitializer(0.02f));
        positionalEmbedding = addOwnParameter("positional_embedding", new NormalInitializer(0.01f));
        transformer = addChildBlock("transformer", new Transformer(config.width(), config.layers(), config.heads(),
                config.mlpWidth(), config.activation()));
        lnFinal = addChildBlock("ln_final", layerNorm(2));
        projection = addOwnParameter("text_projection",
                new NormalInitializer((float) Math.pow(config.width(), -0.5)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        NDArray embeddings = Embedding.embedding(tokens,
                store.getValue(tokenEmbedding, tokens.getDevice(), training), SparseFormat.DENSE).singletonOrThrow();
        return new NDList(encodeEmbeddings(store, embeddings, tokens, training));
    }

    /**
     * Runs the tower from token embeddings [B, T, width] instead of ids, so that prompt learners can substitute
     * learnable context vectors; {@code tokens} still locates the end-of-text position.
     */
    NDArray encodeEmbeddings(ParameterStore store, NDArray embeddings, NDArray tokens, boolean training) {
        int length = Math.toIntExact(embeddings.getShape().get(1));
        if (length > config.contextLength()) {
            throw new IllegalArgumentException("text of " + length + " tokens exceeds the context length "
                    + config.contextLength());
        }
        NDArray positions = store.getValue(positionalEmbedding, embeddings.getDevice(), training);
        if (length < config.contextLength()) {
            positions = positions.get("0:" + length);
        }
        NDArray x = embeddings.add(positions);
        NDArray mask = causalMask(x.getManager(), length).toType(x.getDataType(), false);
        x = transformer.forward(store, new NDList(x, mask), training).singletonOrThrow();
        x = lnFinal.forward(store, new NDList(x), training).singletonOrThrow();
        // Pool at the first end-of-text token; a one-hot product keeps it differentiable and batched.
        NDArray endOfText = tokens.eq(endOfTextId.getAsInt()).toType(DataType.INT32, false).argMax(1)
                .oneHot(length, embeddings.getDataType());
        NDArray pooled = endOfText.expandDims(1).matMul(x).squeeze(1); // [B, width]
        return pooled.matMul(store.getValue(projection, embeddings.getDevice(), training));
    }

    /** Additive mask with -inf above the diagonal: a token attends only to itself and earlier tokens. */
    private NDArray causalMask(NDManager manager, int length) {
        int context = config.contextLength();
        NDArray mask = manager.create(causalMask, new Shape(context, context));
        return length == context ? mask : mask.get("0:" + length + ", 0:" + length);
    }

    private static float[] buildCausalMask(int length) {
        float[] mask = new float[length * length];
        for (int row = 0; row < length; row++) {
            Arrays.fill(mask, row * length + row + 1, (row + 1) * length, Float.NEGATIVE_INFINITY);
        }
        return mask;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        setShapeIfUnset(tokenEmbedding, new Shape(config.vocabSize(), config.width()));
        setShapeIfUnset(positionalEmbedding, new Shape(config.contextLength(), config.width()));
        setShapeIfUnset(projection, new Shape(config.width(), embedDim));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape sequence = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.width());
        transformer.initialize(manager, dataType, sequence);
        lnFinal.initialize(manager, dataType, sequence);
    }

    @Override
    void describeParameters(ParameterSink sink) {
        int width = config.width();
        sink.accept("token_embedding.weight", tokenEmbedding, new Shape(config.vocabSize(), width));
        sink.accept("positional_embedding", positionalEmbedding, new Shape(config.contextLength(), width));
        transformer.describeParameters(sink.under("transformer."));
        describeLayerNorm(sink, "ln_final", lnFinal, width);
        sink.accept("text_projection", projection, new Shape(width, embedDim));
    }
}
