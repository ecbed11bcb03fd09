package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model reads its tokenizer on first use: embedding images works without it, and a malformed merge list is
 * reported, naming the file and line, when text is first encoded.
 */
class ClipTokenizerOnDemandTest {
    @TempDir
    Path dir;

    @Test
    void imagesEmbedWithoutTheMergeListAndTextNamesItsProblem() throws IOException {
        Path source = TestData.tinyClip().resolve("hf");
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Path merges = dir.resolve("merges.txt");
        List<String> lines = Files.readAllLines(merges);
        Files.write(merges, lines.subList(1, lines.size()));

        try (Clip clip = Clip.load(dir, "tiny", ai.djl.Device.cpu())) {
            float[][] image = clip.embedPixels(new float[clip.preprocessor().tensorLength()], 1);
            assertEquals(clip.embedDim(), image[0].length);

            UncheckedIOException error = assertThrows(UncheckedIOException.class,
                    () -> clip.embedTexts(List.of("a photo of a cat")));
            assertTrue(error.getMessage().contains(merges + " line 1: expected the header line '#version: ...'"),
                    error.getMessage());
        }
    }

    @Test
    void theLoadedTokenizerIsSizedToTheTextTowerAndReused() throws IOException {
        try (Clip clip = Clip.load(TestData.tinyClip().resolve("hf"), "tiny", ai.djl.Device.cpu())) {
            assertEquals(clip.model().config().text().contextLength(), clip.tokenizer().contextLength());
            assertTrue(clip.tokenizer() == clip.tokenizer(), "one tokenizer per model");
        }
    }
}
