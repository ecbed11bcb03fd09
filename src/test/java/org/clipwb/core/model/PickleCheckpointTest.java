package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Model folders whose weights are PyTorch pickle checkpoints load to the same model as their safetensors twins. */
class PickleCheckpointTest {
    private static final int EOT = 633;

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource({"hf, hf-bin, pytorch_model.bin", "open_clip, open_clip-bin, open_clip_pytorch_model.bin"})
    void pickleFolderGivesTheSameParametersAndFeatures(String safetensors, String pickle, String weightsFile)
            throws Exception {
        try (Clip expected = Clip.load(TestData.tinyClip().resolve(safetensors), safetensors, Device.cpu());
                Clip actual = Clip.load(TestData.tinyClip().resolve(pickle), pickle, Device.cpu())) {
            assertEquals(expected.layout(), actual.layout());
            assertEquals(TestData.tinyClip().resolve(pickle).resolve(weightsFile), actual.weightsFile());
            assertEquals(WeightsFormat.PYTORCH_PICKLE, actual.weightsFormat());
            assertEquals(WeightsFormat.SAFETENSORS, expected.weightsFormat());
            assertParametersEqual(expected.model(), actual.model(), DataType.FLOAT32);

            List<String> texts = List.of("a photo of a dog.", "circle");
            float[][] expectedTexts = expected.embedTexts(texts);
            float[][] actualTexts = actual.embedTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expectedTexts[i], actualTexts[i], 1e-6f, texts.get(i));
            }
            float[] pixels = expected.preprocessor().toTensor(
                    ImageDecoder.decode(TestData.tinyClip().resolve("images/wide_rgb.png")));
            assertArrayEquals(expected.embedPixels(pixels, 1)[0], actual.embedPixels(pixels, 1)[0], 1e-6f);
        }
    }

    @Test
    void int64PositionIdsAreReportedAsIgnored() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipCheckpoint.Loaded loaded = ClipCheckpoint.load(TestData.tinyClip().resolve("hf-bin"), EOT, manager);
            assertEquals(List.of("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids"),
                    loaded.ignoredTensors().stream().sorted().toList());
            assertEquals(WeightsFormat.PYTORCH_PICKLE, loaded.weightsFormat());
        }
    }

    @Test
    void legacyFormatLoadsTheSameParameters() throws IOException {
        assertLoadsLike(withPickle("legacy_format.bin"), DataType.FLOAT32);
    }

    @Test
    void float16CheckpointLoadsAsFloat32OfTheRoundedValues() throws IOException {
        assertLoadsLike(withPickle("fp16_pytorch_model.bin"), DataType.FLOAT16);
    }

    @Test
    void safetensorsWinOverAPickleInTheSameFolder() throws IOException {
        Path folder = copy("hf");
        // Were the pickle read, the malicious one would fail the load.
        Files.copy(TestData.tinyClip().resolve("pickle-variants/malicious.bin"), folder.resolve("pytorch_model.bin"));
        try (Clip clip = Clip.load(folder, "both", Device.cpu())) {
            assertEquals(folder.resolve("model.safetensors"), clip.weightsFile());
            assertEquals(WeightsFormat.SAFETENSORS, clip.weightsFormat());
        }
    }

    @Test
    void maliciousPickleFolderIsRefusedNamingTheGlobal() throws IOException {
        Path folder = withPickle("malicious.bin");
        IOException error = assertThrows(IOException.class, () -> Clip.load(folder, "malicious", Device.cpu()));
        assertTrue(error.getMessage().startsWith(folder.resolve("pytorch_model.bin") + " refuses to load"),
                error.getMessage());
        assertTrue(error.getMessage().contains("'posix.system'"), error.getMessage());
        assertFalse(Files.exists(Path.of("/tmp/clipwb-pickle-executed")));
    }

    /** The folder loads to the parameters of the safetensors fixture, rounded to {@code storedAs}. */
    private static void assertLoadsLike(Path folder, DataType storedAs) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel expected = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            ClipModel actual = ClipCheckpoint.load(folder, EOT, manager).model();
            assertParametersEqual(expected, actual, storedAs);
        }
    }

    private static void assertParametersEqual(ClipModel expected, ClipModel actual, DataType storedAs) {
        assertEquals(expected.namedParameters().keySet(), actual.namedParameters().keySet());
        expected.namedParameters().forEach((name, parameter) -> {
            assertEquals(DataType.FLOAT32, actual.namedParameters().get(name).getArray().getDataType(), name);
            assertArrayEquals(parameter.getArray().toType(storedAs, false).toType(DataType.FLOAT32, false)
                    .toFloatArray(), actual.namedParameters().get(name).getArray().toFloatArray(), 0f, name);
        });
    }

    /** A copy of the hf-bin folder whose pytorch_model.bin is the given file of pickle-variants/. */
    private Path withPickle(String variant) throws IOException {
        Path folder = copy("hf-bin");
        Files.copy(TestData.tinyClip().resolve("pickle-variants").resolve(variant), folder.resolve("pytorch_model.bin"),
                StandardCopyOption.REPLACE_EXISTING);
        return folder;
    }

    private Path copy(String fixture) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(fixture));
        try (var files = Files.list(TestData.tinyClip().resolve(fixture))) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        return folder;
    }
}
