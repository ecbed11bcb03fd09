package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.clipwb.core.util.FloatRows;

/**
 * What turns normalised image embeddings into class scores after adaptation: the zero-shot text weights, a learned
 * linear layer, LLU's localized update, Tip-Adapter's cache. A head is plain data ({@link #tensors()} and
 * {@link #scalars()}), so {@link HeadFiles} can save it beside an exported model and load it back.
 */
public interface ClassifierHead {
    /**
     * The head's kind, as saved: {@code cosine}, {@code linear}, {@code llu}, {@code tip-adapter},
     * {@code clip-adapter}.
     */
    default String kind() {
        return HeadKind.of(this).word();
    }

    /** One weight row per class [C][D]: what the image embeddings are finally compared with. */
    float[][] classWeights();

    /** Number of classes. */
    default int classCount() {
        return classWeights().length;
    }

    /** Logits [N, C] of normalised image embeddings [N, D]; the result is attached to {@code images}' manager. */
    NDArray logits(NDArray images);

    /** The head's tensors by name, as float32 arrays with their shapes. */
    Map<String, Tensor> tensors();

    /** The head's scalar parameters by name. */
    Map<String, Double> scalars();

    /** Softmax probabilities [N][C] of normalised image embeddings [N][D]. */
    default float[][] probabilities(float[][] images) {
        if (images.length == 0) {
            return new float[0][];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(FloatRows.join(images), new Shape(images.length, images[0].length));
            return FloatRows.split(logits(input).softmax(1).toFloatArray(), images.length);
        }
    }

    /** A float32 tensor held in Java memory: row-major values and a shape. */
    record Tensor(float[] values, long... shape) {
        /** A matrix from rows of equal length. */
        public static Tensor of(float[][] rows) {
            return new Tensor(FloatRows.join(rows), rows.length, rows[0].length);
        }

        /** A vector. */
        public static Tensor of(float[] vector) {
            return new Tensor(vector.clone(), vector.length);
        }

        /** This tensor as an NDArray of {@code manager}. */
        public NDArray toArray(NDManager manager) {
            return manager.create(values, new Shape(shape));
        }

        /** The rows of a matrix. */
        public float[][] rows() {
            return FloatRows.split(values, (int) shape[0]);
        }
    }
}
