package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.clipwb.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DJL port reproduces the reference CLIP's features and logits from both checkpoint layouts. */
class ClipModelParityTest {
    private static final double FEATURE_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip"})
    void reproducesReferenceFeaturesAndLogits(String layoutFolder) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(TestData.tinyClip().resolve("expected.json").toFile());
        Path dir = TestData.tinyClip().resolve(layoutFolder);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipCheckpoint.Loaded loaded = ClipCheckpoint.load(dir, expected.get("eot").asInt(), manager);
            ClipModel model = loaded.model();
            ParameterStore store = new ParameterStore(manager, false);

            NDArray tokens = manager.create(matrix(expected.get("token_ids"))).toType(
                    ai.djl.ndarray.types.DataType.INT64, false);
            NDArray text = model.encodeText(store, tokens, false);
            assertClose(expected.get("text_features"), text, "text features (" + layoutFolder + ")");

            JsonNode pixels = expected.get("pixel_values");
            float[] flat = flatten(pixels);
            NDArray images = manager.create(flat, new Shape(pixels.size(), 3, 32, 32));
            NDArray image = model.encodeImage(store, images, false);
            assertClose(expected.get("image_features"), image, "image features (" + layoutFolder + ")");

            float logitScale = model.logitScale(store, manager.getDevice(), false).getFloat();
            assertEquals(expected.get("logit_scale").asDouble(), logitScale, 1e-6);
            NDArray imageNorm = image.div(image.norm(new int[] {1}, true));
            NDArray textNorm = text.div(text.norm(new int[] {1}, true));
            NDArray logits = imageNorm.matMul(textNorm.transpose()).mul(Math.exp(logitScale));
            assertClose(expected.get("logits_per_image"), logits, "logits (" + layoutFolder + ")");
        }
    }

    private static void assertClose(JsonNode expected, NDArray actual, String what) {
        float[][] rows = matrixF(expected);
        assertEquals(new Shape(rows.length, rows[0].length), actual.getShape(), what + " shape");
        float[] values = actual.toFloatArray();
        double maxError = 0;
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                maxError = Math.max(maxError, Math.abs(rows[r][c] - values[r * rows[r].length + c]));
            }
        }
        assertTrue(maxError <= FEATURE_TOLERANCE, what + ": max abs error " + maxError);
    }

    private static long[][] matrix(JsonNode node) {
        long[][] out = new long[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[node.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = node.get(i).get(j).asLong();
            }
        }
        return out;
    }

    private static float[][] matrixF(JsonNode node) {
        float[][] out = new float[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[node.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) node.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    private static float[] flatten(JsonNode node) {
        java.util.List<Float> values = new java.util.ArrayList<>();
        collect(node, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, java.util.List<Float> out) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        } else {
            out.add((float) node.asDouble());
        }
    }
}
