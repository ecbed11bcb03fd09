package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.model.Scalars;

/**
 * MoCo (methods.md §1.8) for CoFT+'s Phase II (§4.5): the encoder being fine-tuned is the query encoder, a momentum
 * copy of it (and of its projection head) makes the keys, and a queue of past keys supplies the negatives.
 * <pre>
 * q = norm(g_q(f_q(x_q)));  f_k ← m·f_k + (1−m)·f_q (before the keys);  k = norm(g_k(f_k(x_k)))
 * L = CE([q·k, q·Queueᵀ] / T, 0);  then the keys replace the oldest rows of the queue
 * </pre>
 * g is MoCo v2's 2-layer MLP (D → D → dim, ReLU between) or one linear layer, started as PyTorch's nn.Linear is.
 * The image features entering g are CoFT's normalised CLIP features [INFERRED].
 */
final class MomentumContrast {
    private final ImageEncoder queryEncoder;
    private final ImageEncoder keyEncoder;
    private final Map<String, NDArray> queryHead;
    private final Map<String, NDArray> keyHead;
    private final NDArray queue;
    private int pointer;
    private final double momentum;
    private final double temperature;

    private MomentumContrast(ImageEncoder queryEncoder, ImageEncoder keyEncoder, Map<String, NDArray> queryHead,
            Map<String, NDArray> keyHead, NDArray queue, double momentum, double temperature) {
        this.queryEncoder = queryEncoder;
        this.keyEncoder = keyEncoder;
        this.queryHead = queryHead;
        this.keyHead = keyHead;
        this.queue = queue;
        this.momentum = momentum;
        this.temperature = temperature;
    }

    /**
     * A fresh contrastive learner around {@code queryEncoder}: key encoder and head copied from the query side, a
     * queue of {@code queueSize} random unit keys.
     */
    static MomentumContrast start(NDManager manager, SplittableRandom random, ImageEncoder queryEncoder, int dim,
            int projectionDim, boolean mlp, int queueSize, double momentum, double temperature) {
        Map<String, NDArray> queryHead = new LinkedHashMap<>();
        if (mlp) {
            queryHead.put("moco.head.hidden.weight", linear(manager, random, dim, dim));
            queryHead.put("moco.head.hidden.bias", bias(manager, random, dim, dim));
        }
        queryHead.put("moco.head.out.weight", linear(manager, random, projectionDim, dim));
        queryHead.put("moco.head.out.bias", bias(manager, random, projectionDim, dim));
        Map<String, NDArray> keyHead = new LinkedHashMap<>();
        queryHead.forEach((name, array) -> keyHead.put(name, CoftArrays.parameter(manager, array, false)));
        NDArray queue = CoftArrays.parameter(manager, CoftArrays.normalise(
                CoftArrays.normal(manager, random, 1, queueSize, projectionDim)), false);
        return new MomentumContrast(queryEncoder, queryEncoder.copy(manager, false), queryHead, keyHead, queue,
                momentum, temperature);
    }

    private static NDArray linear(NDManager manager, SplittableRandom random, int out, int in) {
        return CoftArrays.parameter(manager, CoftArrays.uniform(manager, random, 1 / Math.sqrt(in), out, in), true);
    }

    private static NDArray bias(NDManager manager, SplittableRandom random, int out, int in) {
        return CoftArrays.parameter(manager, CoftArrays.uniform(manager, random, 1 / Math.sqrt(in), out), true);
    }

    /** The query side's trainable projection head, by name: the optimizer updates it with the encoder. */
    Map<String, NDArray> headParameters() {
        return queryHead;
    }

    /** f_k ← m·f_k + (1−m)·f_q for the encoder and the head; call before computing the keys of a step. */
    void updateKeyEncoder() {
        Map<String, NDArray> query = queryEncoder.parameters();
        keyEncoder.parameters().forEach((name, key) -> key.muli(momentum).addi(query.get(name).mul(1 - momentum)));
        keyHead.forEach((name, key) -> key.muli(momentum).addi(queryHead.get(name).mul(1 - momentum)));
    }

    /** Normalised queries [B, dim] of the query view's features (with gradient). */
    NDArray queries(NDArray features) {
        return project(features, queryHead);
    }

    /** Normalised keys [B, dim] of the key view's pixels, without gradient. */
    NDArray keys(NDArray pixels) {
        return project(keyEncoder.features(pixels, false), keyHead).stopGradient();
    }

    /** InfoNCE with the positive key at index 0 (MoCo's logits and labels). */
    NDArray loss(NDArray queries, NDArray keys) {
        return infoNce(queries, keys, queue, temperature);
    }

    /** {@code CE([q·k, q·Queueᵀ] / T, 0)}, averaged over the batch. */
    static NDArray infoNce(NDArray queries, NDArray keys, NDArray queue, double temperature) {
        NDArray positive = queries.mul(keys).sum(new int[] {1}, true);
        NDArray negatives = queries.matMul(queue.transpose());
        NDArray logits = Scalars.div(NDArrays.concat(new NDList(positive, negatives), 1), temperature);
        return logits.logSoftmax(1).get(new NDIndex(":, 0")).neg().mean();
    }

    /** Writes the keys over the oldest rows of the queue. */
    void enqueue(NDArray keys) {
        pointer = enqueue(queue, pointer, keys);
    }

    /**
     * Writes {@code keys} into {@code queue} from row {@code pointer} on, wrapping around (MoCo needs K to be a
     * multiple of the batch size; wrapping lifts that for small targets), and returns the next pointer.
     */
    static int enqueue(NDArray queue, int pointer, NDArray keys) {
        int size = (int) queue.getShape().get(0);
        int count = (int) keys.getShape().get(0);
        int next = pointer;
        for (int done = 0; done < count; ) {
            int run = Math.min(count - done, size - next);
            queue.set(new NDIndex("{}:{}", next, next + run), keys.get(new NDIndex("{}:{}", done, done + run)));
            next = (next + run) % size;
            done += run;
        }
        return next;
    }

    /** Everything to resume from: the key encoder and head, the queue and its pointer (the query head is trained). */
    Map<String, Tensor> state() {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        keyEncoder.parameters().forEach((name, array) -> arrays.put("moco.key." + name, array));
        keyHead.forEach((name, array) -> arrays.put("moco.key." + name, array));
        arrays.put("moco.queue", queue);
        Map<String, Tensor> state = new LinkedHashMap<>(TrainableWeights.tensors(arrays));
        state.put("moco.pointer", new Tensor(new float[] {pointer}, 1));
        return state;
    }

    /** Restores a {@link #state()} saved under {@code prefix}. */
    void restore(Map<String, Tensor> saved, String prefix) {
        keyEncoder.load(saved, prefix + "moco.key.");
        CoftArrays.load(keyHead, saved, prefix + "moco.key.");
        TrainableWeights.assign(queue, saved.get(prefix + "moco.queue").values());
        pointer = Math.round(saved.get(prefix + "moco.pointer").values()[0]);
    }

    private static NDArray project(NDArray features, Map<String, NDArray> head) {
        NDArray x = features;
        NDArray hidden = head.get("moco.head.hidden.weight");
        if (hidden != null) {
            x = Activation.relu(x.matMul(hidden.transpose()).add(head.get("moco.head.hidden.bias")));
        }
        x = x.matMul(head.get("moco.head.out.weight").transpose()).add(head.get("moco.head.out.bias"));
        return CoftArrays.normalise(x);
    }
}
