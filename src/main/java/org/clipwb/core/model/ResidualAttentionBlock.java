package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Pre-norm transformer layer: x + attn(ln_1(x)), then x + c_proj(act(c_fc(ln_2(x)))). */
final class ResidualAttentionBlock extends ClipBlock {
    private final int width;
    private final int mlpWidth;
    private final ActivationKind activation;
    private final LayerNorm ln1;
    private final MultiHeadSelfAttention attention;
    private final LayerNorm ln2;
    private final Linear fc;
    private final Linear proj;

    ResidualAttentionBlock(int width, int heads, int mlpWidth, ActivationKind activation) {
        this.width = width;
        this.mlpWidth = mlpWidth;
        this.activation = activation;
        ln1 = addChildBlock("ln_1", layerNorm(2));
        attention = addChildBlock("attn", new MultiHeadSelfAttention(width, heads));
        ln2 = addChildBlock("ln_2", layerNorm(2));
        fc = addChildBlock("c_fc", Linear.builder().setUnits(mlpWidth).build());
        proj = addChildBlock("c_proj", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        return new NDList(run(store, x, inputs.size() > 1 ? inputs.get(1) : null, x.getShape().get(1), training));
    }

    /**
     * The layer's output [B, queries, width] for the first {@code queries} tokens of x [B, T, width], all of which
     * still serve as keys and values; {@code mask} is the additive [T, T] attention mask, or null.
     */
    NDArray run(ParameterStore store, NDArray x, NDArray mask, long queries, boolean training) {
        return freeingIntermediates(() -> {
            NDArray normed = ln1.forward(store, new NDList(x), training).singletonOrThrow();
            NDArray h = x.get(new NDIndex(":, :{}", queries)).add(attention.attend(store, normed, mask, queries,
                    training));
            NDArray hidden = linear(fc, store, ln2.forward(store, new NDList(h), training).singletonOrThrow(), training);
            return h.add(linear(proj, store, activation.apply(hidden, training), training));
        });
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        ln1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        ln2.initialize(manager, dataType, x);
        fc.initialize(manager, dataType, x);
        proj.initialize(manager, dataType, fc.getOutputShapes(new Shape[] {x}));
    }

    @Override
    void describeParameters(ParameterSink sink) {
        describeLayerNorm(sink, "ln_1", ln1, width);
        attention.describeParameters(sink.under("attn."));
        describeLayerNorm(sink, "ln_2", ln2, width);
        describeLinear(sink, "mlp.c_fc", fc, mlpWidth, width);
        describeLinear(sink, "mlp.c_proj", proj, width, mlpWidth);
    }
}
