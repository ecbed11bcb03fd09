package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * CLIP's image tower: patch convolution, class token first, positional embeddings, ln_pre, transformer, ln_post on
 * the class token, projection. Input [B, 3, size, size] normalised pixels; output [B, embedDim] raw features.
 */
final class VisionTransformer extends ClipBlock {
    private final ClipConfig.VisionConfig config;
    private final int embedDim;
    private final Conv2d patchEmbedding;
    private final Parameter classEmbedding;
    private final Parameter positionalEmbedding;
    private final LayerNorm lnPre;
    private final Transformer transformer;
    private final LayerNorm lnPost;
    private final Parameter projection;

    VisionTransformer(ClipConfig.VisionConfig config, int embedDim) {
        this.config = config;
        this.embedDim = embedDim;
        float scale = (float) Math.pow(config.width(), -0.5);
        patchEmbedding = addChildBlock("conv1", Conv2d.builder()
                .setKernelShape(new Shape(config.patchSize(), config.patchSize()))
                .optStride(new Shape(config.patchSize(), config.patchSize()))
                .setFilters(config.width())
                .optBias(false)
                .build());
        classEmbedding = addOwnParameter("class_embedding", new NormalInitializer(scale));
        positionalEmbedding = addOwnParameter("positional_embedding", new NormalInitializer(scale));
        lnPre = addChildBlock("ln_pre", layerNorm(2));
        transformer = addChildBlock("transformer", new Transformer(config.width(), config.layers(), config.heads(),
                config.mlpWidth(), config.activation()));
        lnPost = addChildBlock("ln_post", layerNorm(1));
        projection = addOwnParameter("proj", new NormalInitializer(scale));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(encode(store, inputs.singletonOrThrow(), training, LayerHook.NONE));
    }

    /** Raw features [B, embedDim] of pixels [B, 3, size, size], with {@code hook} rewriting each layer's tokens. */
    NDArray encode(ParameterStore store, NDArray pixels, boolean training, LayerHook hook) {
        long batch = pixels.getShape().get(0);
        int width = config.width();
        NDArray patches = patchEmbedding.forward(store, new NDList(pixels), training).singletonOrThrow() // [B, W, g, g]
                .reshape(batch, width, -1)
                .transpose(0, 2, 1); // [B, g*g, W]
        NDArray cls = store.getValue(classEmbedding, pixels.getDevice(), training)
                .reshape(1, 1, width)
                .broadcast(new Shape(batch, 1, width));
        NDArray x = NDArrays.concat(new NDList(cls, patches), 1)
                .add(store.getValue(positionalEmbedding, pixels.getDevice(), training));
        x = lnPre.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray classToken = transformer.firstToken(store, x, training, hook).get(":, 0, :");
        NDArray pooled = lnPost.forward(store, new NDList(classToken), training).singletonOrThrow();
        return pooled.matMul(store.getValue(projection, pixels.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        setShapeIfUnset(classEmbedding, new Shape(config.width()));
        setShapeIfUnset(positionalEmbedding, new Shape(config.tokens(), config.width()));
        setShapeIfUnset(projection, new Shape(config.width(), embedDim));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape sequence = new Shape(batch, config.tokens(), config.width());
        patchEmbedding.initialize(manager, dataType, inputShapes[0]);
        lnPre.initialize(manager, dataType, sequence);
        transformer.initialize(manager, dataType, sequence);
        lnPost.initialize(manager, dataType, new Shape(batch, config.width()));
    }

    @Override
    void describeParameters(ParameterSink sink) {
        int width = config.width();
        sink.accept("conv1.weight", patchEmbedding.getParameters().get("weight"),
                new Shape(width, 3, config.patchSize(), config.patchSize()));
        sink.accept("class_embedding", classEmbedding, new Shape(width));
        sink.accept("positional_embedding", positionalEmbedding, new Shape(config.tokens(), width));
        describeLayerNorm(sink, "ln_pre", lnPre, width);
        transformer.describeParameters(sink.under("transformer."));
        describeLayerNorm(sink, "ln_post", lnPost, width);
        sink.accept("proj", projection, new Shape(width, embedDim));
    }
}
