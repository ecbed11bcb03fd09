package org.clipwb.core.model;

import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointLayoutTest {
    @TempDir
    Path folder;

    @Test
    void detectsBothFixtureLayouts() throws Exception {
        assertEquals(CheckpointLayout.HUGGING_FACE, CheckpointLayout.detect(TestData.tinyClip().resolve("hf")));
        assertEquals(CheckpointLayout.OPEN_CLIP, CheckpointLayout.detect(TestData.tinyClip().resolve("open_clip")));
        assertEquals(List.of("config.json", "model.safetensors", "vocab.json", "merges.txt"),
                CheckpointLayout.HUGGING_FACE.requiredFiles());
        assertEquals("open_clip_model.safetensors", CheckpointLayout.OPEN_CLIP.weightsFile());
    }

    @Test
    void folderWithNeitherLayoutNamesBothAndWhatIsMissing() throws Exception {
        Files.writeString(folder.resolve("vocab.json"), "{}");

        IOException error = assertThrows(IOException.class, () -> CheckpointLayout.detect(folder));

        assertEquals("folder " + folder.toAbsolutePath() + " has neither config.json+model.safetensors or "
                + "pytorch_model.bin (Hugging Face) nor open_clip_config.json+open_clip_model.safetensors or "
                + "open_clip_pytorch_model.bin (open_clip); also needs vocab.json and merges.txt. Missing there: "
                + "config.json, model.safetensors or pytorch_model.bin, merges.txt, open_clip_config.json, "
                + "open_clip_model.safetensors or open_clip_pytorch_model.bin", error.getMessage());
    }

    @Test
    void pickleWeightsCompleteACheckpointAndSafetensorsArePreferred() throws Exception {
        Path hfBin = TestData.tinyClip().resolve("hf-bin");
        assertEquals(CheckpointLayout.HUGGING_FACE, CheckpointLayout.detect(hfBin));
        assertEquals(List.of(), CheckpointLayout.HUGGING_FACE.missingFiles(hfBin));
        assertEquals(hfBin.resolve("pytorch_model.bin"), CheckpointLayout.HUGGING_FACE.weightsFileIn(hfBin).get());
        Path openClipBin = TestData.tinyClip().resolve("open_clip-bin");
        assertEquals(CheckpointLayout.OPEN_CLIP, CheckpointLayout.detect(openClipBin));
        assertEquals(openClipBin.resolve("open_clip_pytorch_model.bin"),
                CheckpointLayout.OPEN_CLIP.weightsFileIn(openClipBin).get());

        Files.writeString(folder.resolve("pytorch_model.bin"), "");
        Files.writeString(folder.resolve("model.safetensors"), "");
        assertEquals(folder.resolve("model.safetensors"), CheckpointLayout.HUGGING_FACE.weightsFileIn(folder).get());
    }

    @Test
    void pickleCheckpointWithoutTokenizerFilesSaysWhichAreMissing() throws Exception {
        Files.writeString(folder.resolve("config.json"), "{}");
        Files.writeString(folder.resolve("pytorch_model.bin"), "");

        IOException error = assertThrows(IOException.class, () -> CheckpointLayout.detect(folder));

        assertTrue(error.getMessage().contains("holds a checkpoint in the Hugging Face layout but lacks vocab.json and "
                + "merges.txt"), error.getMessage());
    }

    @Test
    void checkpointWithoutTokenizerFilesSaysWhichAreMissing() throws Exception {
        Files.writeString(folder.resolve("open_clip_config.json"), "{}");
        Files.writeString(folder.resolve("open_clip_model.safetensors"), "");
        Files.writeString(folder.resolve("vocab.json"), "{}");

        IOException error = assertThrows(IOException.class, () -> CheckpointLayout.detect(folder));

        assertTrue(error.getMessage().contains("holds a checkpoint in the open_clip layout but lacks merges.txt: a CLIP "
                + "checkpoint also needs vocab.json and merges.txt"), error.getMessage());
    }

    @Test
    void missingFolderIsClearError() {
        IOException error = assertThrows(IOException.class,
                () -> CheckpointLayout.detect(folder.resolve("absent")));
        assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
    }
}
