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
        NDList state = inputs;
        for (ResidualAttentionBlock block : blocks) {
            NDList out = block.forward(store, state, training);
            if (inputs.size() > 1) {
                out.add(inputs.get(1));
            }
            state = out;
        }
        return new NDList(state.get(0));
    }

    /** Runs the unmasked stack with {@code hook} rewriting the tokens before each layer (visual prompt tuning). */
    NDArray forward(ParameterStore store, NDArray x, boolean training, LayerHook hook) {
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(store, new NDList(hook.beforeLayer(i, x)), training).singletonOrThrow();
        }
        return x;
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
