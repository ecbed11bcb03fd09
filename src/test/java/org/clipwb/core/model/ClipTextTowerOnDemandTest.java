package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.testing.ReferenceOutputs;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model reads its text tower's weights and its vocabulary on first text use: embedding images never reads them
 * (the weights file can be gone by then, the vocabulary malformed), and text encoded afterwards gives the reference
 * features from the same parameters an eager load gives. Covers safetensors and pickle files in both layouts
 * (stacked and transposed tensors included).
 */
class ClipTextTowerOnDemandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip-bin"})
    void imagesEmbedWithoutReadingTheTextTower(String fixture) throws Exception {
        ReferenceOutputs expected = ReferenceOutputs.load();
        Path copy = ClipCheckpointTest.copyFixture(fixture, dir);
        try (Clip clip = Clip.load(copy, "tiny", Device.cpu())) {
            float[][] first = embedImages(clip, expected);
            ClipEndToEndParityTest.assertRowsClose(expected.normalisedRows(imageFeaturesKey(fixture)), first,
                    "image embeddings");
            assertTrue(clip.parameterCount() > 0);

            // The text tower's weights were never read: with the file gone, images still embed but text cannot.
            Files.delete(clip.weightsFile());
            assertArrayEquals(first, embedImages(clip, expected));
            UncheckedIOException error = assertThrows(UncheckedIOException.class,
                    () -> clip.embedTexts(expected.strings("texts")));
            assertTrue(error.getMessage().contains(clip.weightsFile().toString()), error.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip-bin"})
    void textAfterImagesGivesTheReferenceFeaturesAndTheEagerParameters(String fixture) throws Exception {
        ReferenceOutputs expected = ReferenceOutputs.load();
        Path folder = TestData.tinyClip().resolve(fixture);
        try (Clip clip = Clip.load(folder, "tiny", Device.cpu()); NDManager manager = NDManager.newBaseManager()) {
            embedImages(clip, expected);
            ClipEndToEndParityTest.assertRowsClose(expected.normalisedRows("text_features"),
                    clip.embedTexts(expected.strings("texts")), "text embeddings");
            ClipModel eager = ClipCheckpoint.load(folder, clip.model().endOfTextId(), manager).model();
            assertSame(clip.model(), clip.model());
            eager.namedParameters().forEach((name, parameter) -> assertArrayEquals(
                    parameter.getArray().toFloatArray(),
                    clip.model().namedParameters().get(name).getArray().toFloatArray(), 0f, name));
        }
    }

    @Test
    void imagesEmbedWithoutReadingTheVocabulary() throws Exception {
        String fixture = "open_clip";
        ReferenceOutputs expected = ReferenceOutputs.load();
        Path copy = ClipCheckpointTest.copyFixture(fixture, dir);
        Path vocabulary = copy.resolve("vocab.json");
        Files.writeString(vocabulary, "{\"a\": 0, ");
        try (Clip clip = Clip.load(copy, "tiny", Device.cpu())) {
            ClipEndToEndParityTest.assertRowsClose(expected.normalisedRows(imageFeaturesKey(fixture)),
                    embedImages(clip, expected), "image embeddings");
            UncheckedIOException error = assertThrows(UncheckedIOException.class,
                    () -> clip.embedTexts(expected.strings("texts")));
            assertTrue(error.getMessage().contains(vocabulary.toString()), error.getMessage());
        }
    }

    @Test
    void aWeightsFileChangedAfterLoadingIsRefusedForText() throws Exception {
        Path copy = ClipCheckpointTest.copyFixture("hf", dir);
        try (Clip clip = Clip.load(copy, "tiny", Device.cpu())) {
            Path weights = clip.weightsFile();
            Files.setLastModifiedTime(weights,
                    FileTime.fromMillis(Files.getLastModifiedTime(weights).toMillis() - 60_000));
            UncheckedIOException error = assertThrows(UncheckedIOException.class, clip::model);
            assertTrue(error.getMessage().contains(weights + " has changed since"), error.getMessage());
        }
    }

    private static float[][] embedImages(Clip clip, ReferenceOutputs expected) throws Exception {
        ImageEmbedder.Result result = new ImageEmbedder(clip, null, 4, 1)
                .embed(ClipEndToEndParityTest.imageFiles(expected), (done, total) -> { });
        assertTrue(result.failures().isEmpty(), result.failures().toString());
        return result.embeddings();
    }

    private static String imageFeaturesKey(String fixture) {
        return ClipEndToEndParityTest.imageFeaturesKey(fixture.startsWith("open_clip") ? "open_clip" : "hf");
    }
}
