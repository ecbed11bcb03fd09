package org.clipwb.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The reference outputs of the tiny-clip fixture ({@code expected.json}) as Java arrays. */
public final class ReferenceOutputs {
    private final JsonNode root;

    private ReferenceOutputs(JsonNode root) {
        this.root = root;
    }

    /** Reads {@code tiny-clip/expected.json} from the test resources. */
    public static ReferenceOutputs load() {
        try {
            return new ReferenceOutputs(new ObjectMapper().readTree(TestData.tinyClip().resolve("expected.json")
                    .toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A top-level value, for scalars such as {@code eot} and {@code logit_scale}. */
    public JsonNode get(String key) {
        return root.get(key);
    }

    /** A list of strings, such as {@code texts} or {@code images}. */
    public List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        root.get(key).forEach(value -> values.add(value.asText()));
        return values;
    }

    /** A matrix, such as {@code token_ids}, {@code image_features} or {@code logits_per_image}. */
    public float[][] matrix(String key) {
        JsonNode node = root.get(key);
        float[][] rows = new float[node.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[node.get(i).size()];
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = (float) node.get(i).get(j).asDouble();
            }
        }
        return rows;
    }

    /** A matrix with each row scaled to unit length (features → embeddings). */
    public float[][] normalisedRows(String key) {
        float[][] rows = matrix(key);
        for (float[] row : rows) {
            double norm = 0;
            for (float v : row) {
                norm += v * v;
            }
            for (int j = 0; j < row.length; j++) {
                row[j] /= (float) Math.sqrt(norm);
            }
        }
        return rows;
    }

    /** Any nested array flattened in row-major order, such as {@code pixel_values}. */
    public float[] flattened(String key) {
        List<Float> values = new ArrayList<>();
        collect(root.get(key), values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        } else {
            out.add((float) node.asDouble());
        }
    }
}
