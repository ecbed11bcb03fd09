package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clipwb.core.image.PreprocessConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architecture from both config formats, as the real checkpoints write them. */
class ClipConfigTest {
    @TempDir
    Path temp;

    @Test
    void huggingFaceConfigWithOmittedKeysTakesTransformersDefaults() throws IOException {
        // openai/clip-vit-base-patch16 style: the towers list only what differs from the defaults.
        ClipConfig config = ClipConfig.fromHuggingFace(write("config.json", "{\"model_type\": \"clip\","
                + " \"projection_dim\": 512, \"text_config\": {}, \"vision_config\": {\"patch_size\": 16}}"));
        assertEquals(ClipConfig.preset("ViT-B-16"), config);
    }

    @Test
    void legacyDictSectionsAndExactGelu() throws IOException {
        // laion/CLIP-ViT-B-32-laion2B-s34B-b79K style: exact GELU; older files name the towers *_config_dict.
        ClipConfig config = ClipConfig.fromHuggingFace(write("config.json", "{\"projection_dim\": 512,"
                + " \"text_config_dict\": {\"hidden_act\": \"gelu\"},"
                + " \"vision_config_dict\": {\"hidden_act\": \"gelu\", \"patch_size\": 32}}"));
        assertEquals(ActivationKind.GELU, config.text().activation());
        assertEquals(ActivationKind.GELU, config.vision().activation());
        assertEquals(50, config.vision().tokens());
    }

    @Test
    void openClipConfigDerivesHeadsAndMlpWidth() throws IOException {
        ClipConfig config = ClipConfig.fromOpenClip(write("open_clip_config.json", "{\"model_cfg\": {"
                + "\"embed_dim\": 768, \"quick_gelu\": true, \"vision_cfg\": {\"image_size\": 224, \"layers\": 24,"
                + " \"width\": 1024, \"patch_size\": 14}, \"text_cfg\": {\"context_length\": 77, \"vocab_size\": 49408,"
                + " \"width\": 768, \"heads\": 12, \"layers\": 12}}}"));
        assertEquals(ClipConfig.preset("ViT-L-14"), config);
    }

    @Test
    void writtenOpenClipConfigReadsBack() throws IOException {
        Path file = temp.resolve("open_clip_config.json");
        ClipConfig.preset("ViT-B-32").writeOpenClip(file, PreprocessConfig.openAiDefaults(224));
        assertEquals(ClipConfig.preset("ViT-B-32"), ClipConfig.fromOpenClip(file));
    }

    @Test
    void writtenHuggingFaceConfigReadsBackWithEachTowersActivation() throws IOException {
        Path file = temp.resolve("config.json");
        ClipConfig config = new ClipConfig(96, new ClipConfig.VisionConfig(64, 16, 192, 3, 6, 500, ActivationKind.GELU),
                new ClipConfig.TextConfig(32, 1000, 128, 2, 4, 384, ActivationKind.QUICK_GELU));
        config.writeHuggingFace(file, 999);
        assertEquals(config, ClipConfig.fromHuggingFace(file));
        assertTrue(Files.readString(file).contains("\"eos_token_id\" : 999"), Files.readString(file));
    }

    @Test
    void badValuesNameTheFile() throws IOException {
        Path unknownActivation = write("config.json", "{\"text_config\": {\"hidden_act\": \"relu\"}}");
        IOException error = assertThrows(IOException.class, () -> ClipConfig.fromHuggingFace(unknownActivation));
        assertTrue(error.getMessage().startsWith(unknownActivation.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("relu"), error.getMessage());

        Path notJson = write("config.json", "{\"projection_dim\": 512,\n \"text_config\": {,}}");
        error = assertThrows(IOException.class, () -> ClipConfig.fromHuggingFace(notJson));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());

        Path indivisible = write("config.json", "{\"vision_config\": {\"hidden_size\": 100, \"num_attention_heads\": 3}}");
        error = assertThrows(IOException.class, () -> ClipConfig.fromHuggingFace(indivisible));
        assertTrue(error.getMessage().contains("not divisible by 3 heads"), error.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ClipConfig.preset("ViT-H-14"));
    }

    private Path write(String name, String json) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, json);
        return file;
    }
}
