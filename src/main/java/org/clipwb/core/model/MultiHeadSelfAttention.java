package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torch.nn.MultiheadAttention as CLIP uses it: one fused q/k/v projection ({@code in_proj}), scaled dot-product
 * attention per head with an optional additive mask, and an output projection. Input and output: [B, T, width];
 * an optional second input is the [T, T] additive mask.
 */
final class MultiHeadSelfAttention extends ClipBlock {
    private final int width;
    private final int heads;
    private final Linear inProj;
    private final Linear outProj;

    MultiHeadSelfAttention(int width, int heads) {
        this.width = width;
        this.heads = heads;
        inProj = addChildBlock("in_proj", Linear.builder().setUnits(3L * width).build());
        outProj = addChildBlock("out_proj", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        return new NDList(attend(store, x, inputs.size() > 1 ? inputs.get(1) : null, x.getShape().get(1), training));
    }

    /**
     * The attention output [B, queries, width] of the first {@code queries} tokens of x [B, T, width]; keys and values
     * come from all T tokens. {@code mask} is the additive [T, T] mask, or null.
     */
    NDArray attend(ParameterStore store, NDArray x, NDArray mask, long queries, boolean training) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        int headWidth = width / heads;
        // One copy into [3, B·heads, T, headWidth] makes q, k and v contiguous for batched matrix products.
        NDArray qkv = linear(inProj, store, x, training)
                .reshape(batch, tokens, 3, heads, headWidth)
                .transpose(2, 0, 3, 1, 4)
                .reshape(3, batch * heads, tokens, headWidth);
        NDArray scores = Scalars.mul(qkv.get(new NDIndex("0, :, :{}", queries)).batchMatMul(qkv.get(1).transpose(0, 2, 1)),
                1.0f / (float) Math.sqrt(headWidth));
        if (mask != null) {
            scores = scores.add(mask.get(new NDIndex(":{}", queries)));
        }
        NDArray context = scores.softmax(2).batchMatMul(qkv.get(2)) // [B·heads, queries, headWidth]
                .reshape(batch, heads, queries, headWidth)
                .transpose(0, 2, 1, 3)
                .reshape(batch, queries, width);
        return linear(outProj, store, context, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inProj.initialize(manager, dataType, inputShapes[0]);
        outProj.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    void describeParameters(ParameterSink sink) {
        sink.accept("in_proj_weight", inProj.getParameters().get("weight"), new Shape(3L * width, width));
        sink.accept("in_proj_bias", inProj.getParameters().get("bias"), new Shape(3L * width));
        describeLinear(sink, "out_proj", outProj, width, width);
    }
}
