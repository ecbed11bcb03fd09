package org.clipwb.core.adapt.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.Map;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * A head's prediction of every image of a set: the most probable class (the first on a tie) and its probability.
 *
 * @param labels the predicted class of each image [N]
 * @param confidence its softmax probability [N]
 */
record Predictions(int[] labels, float[] confidence) {

    /** What {@code head} predicts for normalised embeddings [N][D] (N ≥ 1). */
    static Predictions of(ClassifierHead head, float[][] embeddings) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray probabilities = head.logits(Tensor.of(embeddings).toArray(manager)).softmax(1);
            return new Predictions(probabilities.argMax(1).toType(DataType.INT32, false).toIntArray(),
                    probabilities.max(new int[] {1}).toFloatArray());
        }
    }

    /** Records {@code head}'s verdict on every target image as the signals of a phase, and returns it. */
    static Predictions record(RunContext context, String phase, int order, ClassifierHead head, boolean[] kept)
            throws IOException {
        Predictions predictions = of(head, context.data().target().embeddings());
        context.recordSignals(new PhaseSignals(phase, order, predictions.labels(), predictions.confidence(), kept,
                Map.of()));
        return predictions;
    }
}
