package org.clipwb.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    @TempDir
    Path dir;

    @Test
    void readsTheFixturesHuggingFaceConfig() throws IOException {
        PreprocessConfig config = PreprocessConfig.fromHuggingFace(TestData.tinyClip().resolve("hf/preprocessor_config.json"));
        assertEquals(32, config.shortestEdge());
        assertEquals(32, config.cropWidth());
        assertEquals(32, config.cropHeight());
        assertArrayEquals(OPENAI_MEAN, config.mean());
        assertArrayEquals(OPENAI_STD, config.std());
    }

    @Test
    void openClipConfigOfTheFixtureGivesTheSameSizesWithTorchvisionsCrop() throws IOException {
        JsonNode root = JSON.readTree(TestData.tinyClip().resolve("open_clip/open_clip_config.json").toFile());
        int imageSize = root.at("/model_cfg/vision_cfg/image_size").intValue();
        PreprocessConfig openClip = PreprocessConfig.fromOpenClip(root.get("preprocess_cfg"), imageSize);
        PreprocessConfig huggingFace = PreprocessConfig.fromHuggingFace(TestData.tinyClip().resolve("hf/preprocessor_config.json"));
        assertEquals(PreprocessConfig.CropRule.TORCHVISION, openClip.cropRule());
        assertEquals(PreprocessConfig.CropRule.HUGGING_FACE, huggingFace.cropRule());
        assertEquals(new PreprocessConfig(huggingFace.shortestEdge(), huggingFace.cropWidth(), huggingFace.cropHeight(),
                huggingFace.mean(), huggingFace.std(), PreprocessConfig.CropRule.TORCHVISION), openClip);
    }

    @Test
    void writtenHuggingFaceConfigReadsBackEqual() throws IOException {
        Path file = dir.resolve("preprocessor_config.json");
        PreprocessConfig config = new PreprocessConfig(80, 64, 48, new float[] {0.1f, 0.2f, 0.3f},
                new float[] {0.7f, 0.8f, 0.9f});
        config.writeHuggingFace(file);
        assertEquals(config, PreprocessConfig.fromHuggingFace(file));
        assertEquals("CLIPImageProcessor", JSON.readTree(file.toFile()).get("image_processor_type").asText());
    }

    @Test
    void readsLegacyIntegerSizesAndCustomMeanStd() throws IOException {
        PreprocessConfig config = PreprocessConfig.fromHuggingFace(write(
                "{\"size\": 336, \"crop_size\": 300, \"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.25, 0.5, 1]}"));
        assertEquals(336, config.shortestEdge());
        assertEquals(300, config.cropWidth());
        assertEquals(300, config.cropHeight());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, config.mean());
        assertArrayEquals(new float[] {0.25f, 0.5f, 1f}, config.std());
    }

    @Test
    void nonSquareCropObject() throws IOException {
        PreprocessConfig config = PreprocessConfig.fromHuggingFace(write(
                "{\"size\": {\"shortest_edge\": 256}, \"crop_size\": {\"height\": 224, \"width\": 192}}"));
        assertEquals(256, config.shortestEdge());
        assertEquals(192, config.cropWidth());
        assertEquals(224, config.cropHeight());
    }

    @Test
    void absentKeysTakeClipImageProcessorDefaults() throws IOException {
        assertEquals(PreprocessConfig.huggingFaceDefaults(224), PreprocessConfig.fromHuggingFace(write("{}")));
    }

    @Test
    void malformedFilesNameTheFileAndTheKey() throws IOException {
        assertHfError("{\"size\": {\"height\": 224, \"width\": 224}}", "'size'", "fixed-size resize is not supported");
        assertHfError("{\"size\": {\"shortest_edge\": \"224\"}}", "'size.shortest_edge' must be a positive integer");
        assertHfError("{\"size\": -3}", "'size' must be a positive integer");
        assertHfError("{\"crop_size\": {\"height\": 224}}", "'crop_size.width' must be a positive integer");
        assertHfError("{\"image_mean\": [0.5, 0.5]}", "'image_mean' must be an array of 3 numbers");
        assertHfError("{\"image_std\": [0.5, \"x\", 0.5]}", "'image_std' must be an array of 3 numbers");
        assertHfError("{\"image_std\": [0.5, 0, 0.5]}", "std must be finite and positive");
        assertHfError("{\"resample\": 2}", "'resample' is 2, but only 3 (bicubic) is supported");
        assertHfError("{\"do_center_crop\": false}", "'do_center_crop' is false");
        assertHfError("{\"rescale_factor\": 1.0}", "'rescale_factor' is 1.0");
        assertHfError("{\"size\": 224, \"crop_size\": 256}", "larger than the resized shortest edge");
        assertHfError("[1, 2]", "must hold a JSON object");
        assertHfError("{\"size\": 224,\n \"crop_size\": }", "is not valid JSON", "line 2");
    }

    @Test
    void missingFileIsReportedAsSuch() {
        Path missing = dir.resolve("preprocessor_config.json");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> PreprocessConfig.fromHuggingFace(missing));
        assertEquals(missing.toString(), e.getFile());
    }

    @Test
    void openClipDefaultsAndErrors() throws IOException {
        assertEquals(PreprocessConfig.openAiDefaults(224), PreprocessConfig.fromOpenClip(null, 224));
        assertEquals(PreprocessConfig.openAiDefaults(240), PreprocessConfig.fromOpenClip(JSON.readTree("{}"), 240));
        PreprocessConfig custom = PreprocessConfig.fromOpenClip(JSON.readTree("{\"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5]}"), 256);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, custom.mean());
        assertEquals(256, custom.cropWidth());

        assertOpenClipError("{\"mean\": 0.5}", "'mean' must be an array of 3 numbers");
        assertOpenClipError("{\"interpolation\": \"bilinear\"}", "'interpolation' is \"bilinear\"");
        assertOpenClipError("{\"resize_mode\": \"squash\"}", "'resize_mode' is \"squash\"");
    }

    @Test
    void constructorRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(0, 1, 1, OPENAI_MEAN, OPENAI_STD));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(224, 225, 224, OPENAI_MEAN, OPENAI_STD));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(224, 224, 224, new float[2], OPENAI_STD));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(224, 224, 224, OPENAI_MEAN, new float[] {1, -1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(224, 224, 224, new float[] {0, Float.NaN, 0}, OPENAI_STD));
    }

    private void assertHfError(String json, String... fragments) throws IOException {
        Path file = write(json);
        IOException e = assertThrows(IOException.class, () -> PreprocessConfig.fromHuggingFace(file), json);
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
        }
    }

    private static void assertOpenClipError(String json, String fragment) throws IOException {
        JsonNode node = JSON.readTree(json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreprocessConfig.fromOpenClip(node, 224));
        assertTrue(e.getMessage().startsWith("open_clip preprocess_cfg: ") && e.getMessage().contains(fragment), e.getMessage());
    }

    private Path write(String json) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "preprocessor_config", ".json"), json);
    }
}
