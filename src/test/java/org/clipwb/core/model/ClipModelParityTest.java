package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.clipwb.testing.ReferenceOutputs;
import org.clipwb.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DJL port reproduces the reference CLIP's features and logits from both checkpoint layouts. */
class ClipModelParityTest {
    private static final double FEATURE_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip"})
    void reproducesReferenceFeaturesAndLogits(String layoutFolder) throws IOException {
        ReferenceOutputs expected = ReferenceOutputs.load();
        Path dir = TestData.tinyClip().resolve(layoutFolder);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(dir, expected.get("eot").asInt(), manager).model();
            ParameterStore store = new ParameterStore(manager, false);

            float[][] ids = expected.matrix("token_ids");
            NDArray tokens = manager.create(expected.flattened("token_ids"), new Shape(ids.length, ids[0].length))
                    .toType(DataType.INT64, false);
            NDArray text = model.encodeText(store, tokens, false);
            assertClose(expected.matrix("text_features"), text, "text features (" + layoutFolder + ")");

            float[] pixels = expected.flattened("pixel_values");
            NDArray images = manager.create(pixels, new Shape(pixels.length / (3 * 32 * 32), 3, 32, 32));
            NDArray image = model.encodeImage(store, images, false);
            assertClose(expected.matrix("image_features"), image, "image features (" + layoutFolder + ")");

            float logitScale = model.logitScale(store, manager.getDevice(), false).getFloat();
            assertEquals(expected.get("logit_scale").asDouble(), logitScale, 1e-6);
            NDArray imageNorm = image.div(image.norm(new int[] {1}, true));
            NDArray textNorm = text.div(text.norm(new int[] {1}, true));
            NDArray logits = imageNorm.matMul(textNorm.transpose()).mul(Math.exp(logitScale));
            assertClose(expected.matrix("logits_per_image"), logits, "logits (" + layoutFolder + ")");
        }
    }

    private static void assertClose(float[][] rows, NDArray actual, String what) {
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
}
