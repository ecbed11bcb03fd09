package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.adapt.train.Gradients;

/**
 * Array helpers of CoFT's modules: initial values drawn in Java from a seeded stream rather than from the engine's
 * global generator (a module's initialisation depends only on the run's seed and its own name), arrays kept beyond
 * the scope that made them, and parameters restored from checkpoints by name.
 */
final class CoftArrays {
    private CoftArrays() {
    }

    /** N(0, std²) values (Box–Muller). */
    static NDArray normal(NDManager manager, SplittableRandom random, double std, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            double u = Math.max(1e-300, random.nextDouble());
            values[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return manager.create(values, new Shape(shape));
    }

    /** U(−bound, bound) values. */
    static NDArray uniform(NDManager manager, SplittableRandom random, double bound, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (bound * (2 * random.nextDouble() - 1));
        }
        return manager.create(values, new Shape(shape));
    }

    /** A trainable copy of {@code value} in {@code manager}, outliving any scope. */
    static NDArray parameter(NDManager manager, NDArray value, boolean trainable) {
        NDArray copy = value.duplicate();
        copy.attach(manager);
        NDScope.unregister(copy);
        copy.setRequiresGradient(trainable);
        return copy;
    }

    /** {@code array} moved into {@code manager} and out of the current scope. */
    static NDArray keep(NDArray array, NDManager manager) {
        array.attach(manager);
        NDScope.unregister(array);
        return array;
    }

    /** Overwrites each of {@code parameters} with the saved tensor {@code prefix + name}. */
    static void load(Map<String, NDArray> parameters, Map<String, Tensor> saved, String prefix) {
        parameters.forEach((name, array) -> {
            Tensor tensor = saved.get(prefix + name);
            if (tensor == null) {
                throw new IllegalStateException("saved state lacks " + prefix + name);
            }
            TrainableWeights.assign(array, tensor.values());
        });
    }

    /** The tensors of {@code arrays}, each named {@code prefix + name}. */
    static Map<String, Tensor> save(Map<String, NDArray> arrays, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        TrainableWeights.tensors(arrays).forEach((name, tensor) -> out.put(prefix + name, tensor));
        return out;
    }

    /** The tensors of {@code checkpoint} whose names start with {@code prefix}, named without it. */
    static Map<String, Tensor> unprefixed(Checkpoint checkpoint, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        checkpoint.tensors().forEach((key, tensor) -> {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), tensor);
            }
        });
        return out;
    }

    /** L2-normalised rows. */
    static NDArray normalise(NDArray rows) {
        return rows.div(rows.norm(new int[] {-1}, true));
    }

    /**
     * The weighted mean of label-smoothed cross-entropies, {@code Σ_b w_b·CE_b / max(Σ_b w_b, 1e-12)} with
     * {@code CE_b = −Σ_k q_bk·log softmax(logits_b)_k} and {@code q_b = (1 − ε)·onehot(y_b) + ε/C} (PyTorch's
     * {@code label_smoothing}); rows of weight 0 (unlabeled images) do not count.
     */
    static NDArray weightedCrossEntropy(NDArray logits, NDArray labels, NDArray weights, double smoothing) {
        int classes = (int) logits.getShape().get(1);
        NDArray target = labels.oneHot(classes).mul(1 - smoothing).add(smoothing / classes);
        NDArray perImage = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg();
        return perImage.mul(weights).sum().div(weights.sum().maximum(1e-12f));
    }
}
