package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.util.function.Supplier;

/**
 * Base of the composite CLIP blocks. Every block knows its parameters' shapes from the configuration, so weights can
 * be attached from a checkpoint before {@code initialize} (which then allocates nothing) or drawn by initializers.
 */
abstract class ClipBlock extends AbstractBlock {

    /** Reports this block's parameters, named as in OpenAI's state dict relative to the block. */
    abstract void describeParameters(ParameterSink sink);

    /** A parameter of this block whose shape is set in {@link #prepare} unless a checkpoint already supplied it. */
    Parameter addOwnParameter(String name, Initializer initializer) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optInitializer(initializer).build());
    }

    /**
     * Runs {@code body} in a scope of its own and closes every array it created except the result, which moves to
     * the enclosing scope. A forward pass then holds one layer's intermediates at a time instead of all of them
     * until the caller's scope ends; autograd keeps its own references to what backward needs.
     */
    static NDArray freeingIntermediates(Supplier<NDArray> body) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            result = body.get();
            NDScope.unregister(result);
        }
        NDScope.register(result);
        return result;
    }

    /**
     * Applies {@code layer} to [..., in] as one product on [N, in]: PyTorch's C++ {@code linear} fuses the bias into
     * the matrix product (addmm) only for 2-D input and otherwise adds it in a second pass over the output.
     */
    static NDArray linear(Linear layer, ParameterStore store, NDArray x, boolean training) {
        Shape shape = x.getShape();
        int last = shape.dimension() - 1;
        NDArray flat = layer.forward(store, new NDList(x.reshape(-1, shape.get(last))), training).singletonOrThrow();
        return flat.reshape(shape.slice(0, last).add(flat.getShape().get(1)));
    }

    static void setShapeIfUnset(Parameter parameter, Shape shape) {
        if (!parameter.isInitialized() && parameter.getShape() == null) {
            parameter.setShape(shape);
        }
    }

    static LayerNorm layerNorm(int axis) {
        return LayerNorm.builder().axis(axis).optEpsilon(ClipConfig.LAYER_NORM_EPS).build();
    }

    static void describeLayerNorm(ParameterSink sink, String name, LayerNorm norm, int width) {
        sink.accept(name + ".weight", norm.getParameters().get("gamma"), new Shape(width));
        sink.accept(name + ".bias", norm.getParameters().get("beta"), new Shape(width));
    }

    static void describeLinear(ParameterSink sink, String name, Linear linear, int out, int in) {
        sink.accept(name + ".weight", linear.getParameters().get("weight"), new Shape(out, in));
        sink.accept(name + ".bias", linear.getParameters().get("bias"), new Shape(out));
    }
}
