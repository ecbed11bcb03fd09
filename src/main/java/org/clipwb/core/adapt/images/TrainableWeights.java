package org.clipwb.core.adapt.images;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.train.Gradients;
import org.clipwb.core.model.ClipModel;

/**
 * A parameter store that runs a loaded {@link ClipModel} with some of its weights replaced by copies of its own: the
 * copies are trained (or averaged, for a momentum encoder) while the loaded model stays as it was, so several
 * variants (a student, a momentum encoder, two prompt-tuned models) share one model and its frozen parts. Pass it
 * wherever the model takes a {@link ParameterStore}; weights not replaced come from the model.
 */
public final class TrainableWeights extends ParameterStore {
    private final NDManager manager;
    private final ClipModel model;
    private final Map<Parameter, NDArray> replaced = new IdentityHashMap<>();
    private final Map<String, NDArray> byName = new LinkedHashMap<>();

    /** No weight replaced yet; copies will live in {@code manager} (on the model's device). */
    public TrainableWeights(NDManager manager, ClipModel model) {
        super(manager, false);
        this.manager = manager;
        this.model = model;
    }

    /**
     * Replaces every weight whose canonical name {@code names} accepts by a copy, which records gradients when
     * {@code trainable}.
     */
    public TrainableWeights replace(Predicate<String> names, boolean trainable) {
        model.namedParameters().forEach((name, parameter) -> {
            if (names.test(name)) {
                NDArray copy = parameter.getArray().duplicate();
                copy.attach(manager);
                copy.setRequiresGradient(trainable);
                replaced.put(parameter, copy);
                byName.put(name, copy);
            }
        });
        return this;
    }

    /** The replaced weights by canonical name, in state-dict order: what an optimizer updates. */
    public Map<String, NDArray> weights() {
        return byName;
    }

    /** Overwrites replaced weights with saved values (a checkpoint), by name. */
    public void load(Map<String, Tensor> saved) {
        byName.forEach((name, weight) -> {
            Tensor tensor = saved.get(name);
            if (tensor == null) {
                throw new IllegalStateException("saved weights lack " + name);
            }
            assign(weight, tensor.values());
        });
    }

    /**
     * Overwrites {@code array}'s values in place, in its own storage. DJL's {@code NDArray.set(float[])} gives the
     * tensor new storage, whose alignment changes the last bits of later matrix products; a resumed run must compute
     * exactly as an uninterrupted one, so restored weights go where the weights were.
     */
    public static void assign(NDArray array, float[] values) {
        try (NDArray source = array.getManager().create(values, array.getShape());
                NDArray target = Gradients.valuesOf(array)) {
            target.set(new NDIndex("..."), source);
        }
    }

    /** The replaced weights as tensors, by name. */
    public Map<String, Tensor> snapshot() {
        return tensors(byName);
    }

    /** Arrays as tensors held in Java memory, by name, in the map's order: the form checkpoints take. */
    public static Map<String, Tensor> tensors(Map<String, NDArray> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((name, array) -> out.put(name, new Tensor(array.toFloatArray(), array.getShape().getShape())));
        return out;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray weight = replaced.get(parameter);
        return weight != null ? weight : super.getValue(parameter, device, training);
    }
}
