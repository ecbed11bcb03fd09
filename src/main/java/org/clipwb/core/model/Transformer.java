package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/** A stack of residual attention blocks sharing an optional additive attention mask (second input). */
final class Transformer extends ClipBlock {
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

    Transformer(int width, int layers, int heads, int mlpWidth, ActivationKind activation) {
        for (int i = 0; i < layers; i++) {
            blocks.add(addChildBlock("resblock" + i, new ResidualAttentionBlock(width, heads, mlpWidth, activation)));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        return new NDList(run(store, x, inputs.size() > 1 ? inputs.get(1) : null, x.getShape().get(1), training,
                LayerHook.NONE));
    }

    /**
     * The output of the first token alone, [B, 1, width], for a tower that pools it (CLIP's class token): the last
     * layer computes only that token's row, which saves most of its work, while the token still attends to all.
     * {@code hook} rewrites the tokens entering each layer (visual prompt tuning; it keeps token 0 first).
     */
    NDArray firstToken(ParameterStore store, NDArray x, boolean training, LayerHook hook) {
        return run(store, x, null, 1, training, hook);
    }

    private NDArray run(ParameterStore store, NDArray x, NDArray mask, long lastLayerQueries, boolean training,
            LayerHook hook) {
        NDArray state = x;
        for (int i = 0; i < blocks.size(); i++) {
            NDArray input = hook.beforeLayer(i, state);
            long tokens = input.getShape().get(1);
            state = blocks.get(i).run(store, input, mask, i == blocks.size() - 1 ? lastLayerQueries : tokens, training);
        }
        return state;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (ResidualAttentionBlock block : blocks) {
            block.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    void describeParameters(ParameterSink sink) {
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).describeParameters(sink.under("resblocks." + i + "."));
        }
    }
}
