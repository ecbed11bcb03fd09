package org.clipwb.core.adapt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochBatchesTest {
    @Test
    void eachBatchHoldsItsRowsInTheBatchesOrder() {
        List<int[]> batches = Minibatches.of(11, 4, 3, 2, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray rows = manager.arange(0f, 33f).reshape(11, 3);
            NDList perBatch = EpochBatches.of(rows, batches);
            assertEquals(batches.size(), perBatch.size());
            for (int b = 0; b < batches.size(); b++) {
                NDArray expected = rows.get(manager.create(batches.get(b)));
                assertEquals(new Shape(batches.get(b).length, 3), perBatch.get(b).getShape());
                assertArrayEquals(expected.toFloatArray(), perBatch.get(b).toFloatArray(), 0f, "batch " + b);
            }
        }
    }

    @Test
    void aSingleBatchAndSeveralInputsKeepTheirRowsTogether() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray embeddings = manager.arange(0f, 10f).reshape(5, 2);
            NDArray masks = manager.arange(100f, 105f);
            List<int[]> one = List.of(new int[] {4, 0, 2});
            List<NDList> batches = EpochBatches.inputs(new NDList(embeddings, masks), one);
            assertEquals(1, batches.size());
            assertArrayEquals(new float[] {8, 9, 0, 1, 4, 5}, batches.get(0).get(0).toFloatArray());
            assertArrayEquals(new float[] {104, 100, 102}, batches.get(0).get(1).toFloatArray());

            List<NDList> two = EpochBatches.inputs(new NDList(embeddings, masks), List.of(new int[] {1, 3},
                    new int[] {0}));
            assertArrayEquals(new float[] {2, 3, 6, 7}, two.get(0).get(0).toFloatArray());
            assertArrayEquals(new float[] {101, 103}, two.get(0).get(1).toFloatArray());
            assertArrayEquals(new float[] {0, 1}, two.get(1).get(0).toFloatArray());
            assertArrayEquals(new float[] {100}, two.get(1).get(1).toFloatArray());
        }
    }
}
