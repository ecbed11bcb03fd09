package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an epoch's minibatches taken from arrays already on the device, in two operations per array (one gather
 * in the epoch's order, one split) rather than a gather per step: on cached embeddings a step is a few small matrix
 * products, so the per-step indexing was a fifth of LLU's training time (docs/performance.md).
 */
public final class EpochBatches {
    private EpochBatches() {
    }

    /** The rows of {@code rows} [N, …] in each batch of {@code batches}, one array per batch. */
    public static NDList of(NDArray rows, List<int[]> batches) {
        int total = batches.stream().mapToInt(batch -> batch.length).sum();
        int[] order = new int[total];
        long[] cuts = new long[batches.size() - 1];
        int filled = 0;
        for (int b = 0; b < batches.size(); b++) {
            System.arraycopy(batches.get(b), 0, order, filled, batches.get(b).length);
            filled += batches.get(b).length;
            if (b < cuts.length) {
                cuts[b] = filled;
            }
        }
        NDArray ordered = rows.get(rows.getManager().create(order));
        return cuts.length == 0 ? new NDList(ordered) : ordered.split(cuts);
    }

    /** The same for every array of {@code inputs}: for each batch, the list of its rows of each array. */
    public static List<NDList> inputs(NDList inputs, List<int[]> batches) {
        List<NDList> perInput = inputs.stream().map(input -> of(input, batches)).toList();
        List<NDList> perBatch = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            int batch = b;
            perBatch.add(new NDList(perInput.stream().map(list -> list.get(batch)).toArray(NDArray[]::new)));
        }
        return perBatch;
    }
}
