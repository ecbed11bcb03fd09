package org.clipwb.core.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.clipwb.core.util.FloatRows;

/**
 * Nearest neighbours by cosine similarity of normalised embeddings: one matrix product of the queries against all
 * embeddings and a top-k per row, so 20,000 cached embeddings are searched in milliseconds instead of in a Java
 * loop over every pair.
 */
public final class NearestNeighbours {
    /** Rows of embeddings multiplied at once, bounding the similarity block to rows × N floats. */
    private static final int QUERY_BLOCK = 256;

    private final float[][] embeddings;

    /** A search over normalised embeddings [N][D]. */
    public NearestNeighbours(float[][] embeddings) {
        this.embeddings = embeddings;
    }

    /**
     * One query's neighbours, most similar first.
     *
     * @param indices indices into the searched embeddings
     * @param similarities their cosine similarities to the query
     */
    public record Neighbours(int[] indices, float[] similarities) {
    }

    /**
     * The {@code k} nearest embeddings of each query [Q][D], most similar first; {@code exclude[q]} (an index into
     * the searched embeddings, or −1) is left out, so that an image is not its own neighbour.
     */
    public Neighbours[] search(float[][] queries, int k, int[] exclude) {
        if (exclude.length != queries.length) {
            throw new IllegalArgumentException(exclude.length + " exclusions for " + queries.length + " queries");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        Neighbours[] result = new Neighbours[queries.length];
        if (embeddings.length == 0 || queries.length == 0) {
            Arrays.fill(result, new Neighbours(new int[0], new float[0]));
            return result;
        }
        int n = embeddings.length;
        int dim = embeddings[0].length;
        // One more than k so that the excluded self can be dropped and k remain.
        int fetched = Math.min(n, k + 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray base = manager.create(FloatRows.join(embeddings), new Shape(n, dim));
            for (int start = 0; start < queries.length; start += QUERY_BLOCK) {
                int end = Math.min(queries.length, start + QUERY_BLOCK);
                float[][] block = Arrays.copyOfRange(queries, start, end);
                NDArray similarities = manager.create(FloatRows.join(block), new Shape(block.length, dim))
                        .matMul(base.transpose());
                NDList top = similarities.topK(fetched, 1, true, true);
                float[] values = top.get(0).toFloatArray();
                int[] indices = top.get(1).toType(DataType.INT32, false).toIntArray();
                for (int q = start; q < end; q++) {
                    result[q] = pick(values, indices, (q - start) * fetched, fetched, k, exclude[q]);
                }
                similarities.close();
                top.close();
            }
        }
        return result;
    }

    /** The {@code k} nearest embeddings of one query, without {@code exclude} (or −1). */
    public Neighbours search(float[] query, int k, int exclude) {
        return search(new float[][] {query}, k, new int[] {exclude})[0];
    }

    private static Neighbours pick(float[] values, int[] indices, int offset, int fetched, int k, int exclude) {
        int[] keptIndices = new int[Math.min(k, fetched)];
        float[] keptValues = new float[keptIndices.length];
        int count = 0;
        for (int j = 0; j < fetched && count < keptIndices.length; j++) {
            if (indices[offset + j] != exclude) {
                keptIndices[count] = indices[offset + j];
                keptValues[count] = values[offset + j];
                count++;
            }
        }
        return new Neighbours(Arrays.copyOf(keptIndices, count), Arrays.copyOf(keptValues, count));
    }
}
