package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.testing.ReferenceOutputs;
import org.clipwb.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * From files to numbers: the tokenizer, the image decoder and preprocessing, and the model together reproduce
 * expected.json for both checkpoint layouts (token ids exactly, normalised features and logits within 1e-4).
 */
class ClipEndToEndParityTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip"})
    void textsAndImageFilesGiveTheReferenceEmbeddingsAndLogits(String layoutFolder) throws Exception {
        ReferenceOutputs expected = ReferenceOutputs.load();
        try (Clip clip = Clip.load(TestData.tinyClip().resolve(layoutFolder), "tiny", ai.djl.Device.cpu())) {
            List<String> texts = expected.strings("texts");
            int[][] ids = clip.tokenizer().tokenize(texts);
            float[][] expectedIds = expected.matrix("token_ids");
            for (int i = 0; i < texts.size(); i++) {
                int[] want = new int[expectedIds[i].length];
                for (int j = 0; j < want.length; j++) {
                    want[j] = (int) expectedIds[i][j];
                }
                assertArrayEquals(want, ids[i], "token ids of " + texts.get(i));
            }
            float[][] text = clip.embedTexts(texts);
            assertRowsClose(expected.normalisedRows("text_features"), text, "text embeddings");

            List<Path> files = imageFiles(expected);
            ImageEmbedder.Result result = new ImageEmbedder(clip, null, 3, 2).embed(files, (done, total) -> { });
            assertTrue(result.failures().isEmpty(), result.failures().toString());
            assertEquals(7, result.computed());
            float[][] referenceImages = expected.normalisedRows(imageFeaturesKey(layoutFolder));
            assertRowsClose(referenceImages, result.embeddings(), "image embeddings");

            float[][] logits = new float[files.size()][texts.size()];
            for (int i = 0; i < files.size(); i++) {
                for (int j = 0; j < texts.size(); j++) {
                    float dot = 0;
                    for (int d = 0; d < clip.embedDim(); d++) {
                        dot += result.embeddings()[i][d] * text[j][d];
                    }
                    logits[i][j] = clip.logitScale() * dot;
                }
            }
            assertRowsClose(referenceLogits(expected, referenceImages), logits, "logits");
        }
    }

    /** The image features of each layout's own preprocessing: open_clip crops odd margins as torchvision does. */
    static String imageFeaturesKey(String layoutFolder) {
        return layoutFolder.equals("open_clip") ? "open_clip_image_features" : "image_features";
    }

    /**
     * The fixture's logits are those of the Hugging Face features; for open_clip they follow from its own image
     * features and the shared text features, with the reference's logit scale.
     */
    private static float[][] referenceLogits(ReferenceOutputs expected, float[][] referenceImages) {
        float[][] texts = expected.normalisedRows("text_features");
        float scale = (float) Math.exp(expected.get("logit_scale").asDouble());
        float[][] logits = new float[referenceImages.length][texts.length];
        for (int i = 0; i < referenceImages.length; i++) {
            for (int j = 0; j < texts.length; j++) {
                double dot = 0;
                for (int d = 0; d < texts[j].length; d++) {
                    dot += referenceImages[i][d] * texts[j][d];
                }
                logits[i][j] = (float) (scale * dot);
            }
        }
        return logits;
    }

    /** Half precision stays close to the reference: normalised embeddings within 1e-2. */
    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip"})
    void halfPrecisionStaysCloseToTheReference(String layoutFolder) throws Exception {
        ReferenceOutputs expected = ReferenceOutputs.load();
        try (Clip clip = Clip.load(TestData.tinyClip().resolve(layoutFolder), "tiny", ai.djl.Device.cpu(),
                Precision.FP16)) {
            List<String> texts = expected.strings("texts");
            float[][] text = clip.embedTexts(texts);
            assertRowsClose(expected.normalisedRows("text_features"), text, "fp16 text embeddings", 1e-2);
            List<Path> files = imageFiles(expected);
            float[][] images = new ImageEmbedder(clip, null, 4, 1).embed(files, (done, total) -> { }).embeddings();
            assertRowsClose(expected.normalisedRows(imageFeaturesKey(layoutFolder)), images, "fp16 image embeddings", 1e-2);
        }
    }

    static List<Path> imageFiles(ReferenceOutputs expected) {
        List<Path> files = new ArrayList<>();
        for (String name : expected.strings("images")) {
            files.add(TestData.tinyClip().resolve("images").resolve(name));
        }
        return files;
    }

    static void assertRowsClose(float[][] expected, float[][] actual, String what) {
        assertRowsClose(expected, actual, what, TOLERANCE);
    }

    private static void assertRowsClose(float[][] expected, float[][] actual, String what, double tolerance) {
        assertEquals(expected.length, actual.length, what + " rows");
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + " columns");
            for (int j = 0; j < expected[i].length; j++) {
                max = Math.max(max, Math.abs(expected[i][j] - actual[i][j]));
            }
        }
        assertTrue(max <= tolerance, what + ": max abs error " + max);
    }
}
