package org.clipwb.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClipPreprocessorTest {
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /**
     * The fixture's pixel_values were computed by Pillow (bicubic, antialiased), then each layout's own center crop and
     * mean/std, and are stored with 5 decimals. Decoding and resampling are bit-exact ports, so the only error left is
     * that rounding. Hugging Face's processor and open_clip's (torchvision) place the crop differently on odd margins.
     */
    @ParameterizedTest
    @CsvSource({"hf, pixel_values", "open_clip, open_clip_pixel_values"})
    void matchesTheReferencePixelValuesOfEachLayout(String layoutFolder, String key) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(TestData.tinyClip().resolve("expected.json").toFile());
        ClipPreprocessor preprocessor = new ClipPreprocessor(layoutPreprocessing(layoutFolder));
        JsonNode images = expected.get("images");
        assertEquals(7, images.size());
        double maxError = 0;
        for (int i = 0; i < images.size(); i++) {
            String name = images.get(i).asText();
            float[] tensor = preprocessor.toTensor(ImageDecoder.decode(TestData.tinyClip().resolve("images").resolve(name)));
            JsonNode reference = expected.get(key).get(i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        double want = reference.get(c).get(y).get(x).doubleValue();
                        double got = tensor[(c * 32 + y) * 32 + x];
                        assertEquals(want, got, 2e-2, name + " channel " + c + " (" + x + ", " + y + ")");
                        maxError = Math.max(maxError, Math.abs(want - got));
                    }
                }
            }
        }
        System.out.printf("tiny-clip %s: max abs error %.3g over 7 images%n", key, maxError);
        assertTrue(maxError <= 5.1e-6, "decoding and resampling should be exact up to the fixture's 5 decimals: " + maxError);
    }

    private static PreprocessConfig layoutPreprocessing(String layoutFolder) throws Exception {
        Path folder = TestData.tinyClip().resolve(layoutFolder);
        if (layoutFolder.equals("hf")) {
            return PreprocessConfig.fromHuggingFace(folder.resolve("preprocessor_config.json"));
        }
        JsonNode config = new ObjectMapper().readTree(folder.resolve("open_clip_config.json").toFile());
        return PreprocessConfig.fromOpenClip(config.get("preprocess_cfg"), 32);
    }

    /** The long edge is truncated, int(size * long / short), as in Hugging Face's processor and torchvision's Resize. */
    @Test
    void resizedSizeTruncatesTheLongEdge() {
        assertArrayEquals(new int[] {76, 32}, ClipPreprocessor.resizedSize(96, 40, 32)); // 76.8
        assertArrayEquals(new int[] {32, 74}, ClipPreprocessor.resizedSize(30, 70, 32)); // 74.67
        assertArrayEquals(new int[] {42, 32}, ClipPreprocessor.resizedSize(640, 480, 32)); // 42.67
        assertArrayEquals(new int[] {32, 46}, ClipPreprocessor.resizedSize(9, 13, 32)); // 46.22
        assertArrayEquals(new int[] {32, 32}, ClipPreprocessor.resizedSize(33, 33, 32));
        assertArrayEquals(new int[] {298, 224}, ClipPreprocessor.resizedSize(640, 481, 224)); // 298.04
        assertArrayEquals(new int[] {224, 336}, ClipPreprocessor.resizedSize(4, 6, 224));
        assertArrayEquals(new int[] {298, 224}, ClipPreprocessor.resizedSize(500, 375, 224)); // 298.67
    }

    /** Hugging Face floors the margin's half; torchvision rounds it half to even, so 45 and 11 give 22 and 6. */
    @Test
    void cropOffsetFollowsEachProcessorsRule() {
        PreprocessConfig.CropRule hf = PreprocessConfig.CropRule.HUGGING_FACE;
        PreprocessConfig.CropRule torchvision = PreprocessConfig.CropRule.TORCHVISION;
        assertEquals(22, hf.offset(77, 32)); // 22.5
        assertEquals(22, torchvision.offset(77, 32));
        assertEquals(5, hf.offset(43, 32)); // 5.5
        assertEquals(6, torchvision.offset(43, 32));
        assertEquals(21, hf.offset(75, 32)); // 21.5
        assertEquals(22, torchvision.offset(75, 32));
        assertEquals(2, hf.offset(36, 32));
        assertEquals(2, torchvision.offset(36, 32));
        assertEquals(0, hf.offset(32, 32));
        assertEquals(0, torchvision.offset(32, 32));
    }

    @Test
    void normalisesEachChannelAsChw() {
        // A 2x2 image already at the target size: no resampling, so the values are pure normalisation.
        byte[] rgb = {0, (byte) 128, (byte) 255, 10, 20, 30, 40, 50, 60, 70, 80, 90};
        ClipPreprocessor preprocessor = new ClipPreprocessor(new PreprocessConfig(2, 2, 2, MEAN, STD));
        float[] tensor = preprocessor.toTensor(new RgbImage(2, 2, rgb));
        assertEquals(12, tensor.length);
        for (int pixel = 0; pixel < 4; pixel++) {
            for (int c = 0; c < 3; c++) {
                float expected = ((rgb[pixel * 3 + c] & 0xff) / 255f - MEAN[c]) / STD[c];
                assertEquals(expected, tensor[c * 4 + pixel], 0f, "channel " + c + " pixel " + pixel);
            }
        }
        assertEquals((0 / 255f - MEAN[0]) / STD[0], tensor[0], 0f);
        assertEquals((255 / 255f - MEAN[2]) / STD[2], tensor[8], 0f);
    }

    @Test
    void writesIntoItsBatchSlotOnly() {
        ClipPreprocessor preprocessor = new ClipPreprocessor(PreprocessConfig.openAiDefaults(16));
        RgbImage image = PillowResamplerTest.random(40, 23, 9);
        int length = preprocessor.tensorLength();
        assertEquals(3 * 16 * 16, length);
        float[] batch = new float[3 * length];
        Arrays.fill(batch, Float.NaN);

        preprocessor.toTensor(image, batch, length);

        float[] alone = preprocessor.toTensor(image);
        assertArrayEquals(alone, Arrays.copyOfRange(batch, length, 2 * length));
        for (int i = 0; i < length; i++) {
            assertTrue(Float.isNaN(batch[i]) && Float.isNaN(batch[2 * length + i]), "slot " + i + " of a neighbour was written");
        }
        assertThrows(IndexOutOfBoundsException.class, () -> preprocessor.toTensor(image, batch, 2 * length + 1));
    }

    @Test
    void nonSquareCropComesFromTheCenter() {
        ClipPreprocessor preprocessor = new ClipPreprocessor(new PreprocessConfig(8, 6, 4, MEAN, STD));
        // 8x8 image, already the resized size: crop columns 1..6 and rows 2..5.
        byte[] rgb = new byte[8 * 8 * 3];
        for (int i = 0; i < 64; i++) {
            rgb[i * 3] = (byte) i;
        }
        float[] tensor = preprocessor.toTensor(new RgbImage(8, 8, rgb));
        assertEquals(3 * 6 * 4, tensor.length);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                int source = (y + 2) * 8 + (x + 1);
                assertEquals((source / 255f - MEAN[0]) / STD[0], tensor[y * 6 + x], 0f, "(" + x + ", " + y + ")");
            }
        }
    }
}
