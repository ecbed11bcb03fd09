package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint loading rejects bad files with clear errors and round-trips what it saves. */
class ClipCheckpointTest {
    private static final int EOT = 633;
    private static final String HF_WEIGHTS = "model.safetensors";

    @TempDir
    Path temp;

    @Test
    void ignoresUnknownBuffersAndReportsThem() throws IOException {
        Path dir = copyHfWithTensors((name, array) -> array, Map.of("text_model.embeddings.position_ids", 77));
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipCheckpoint.Loaded loaded = ClipCheckpoint.load(dir, EOT, manager);
            assertEquals(CheckpointLayout.HUGGING_FACE, loaded.layout());
            assertEquals(java.util.List.of("text_model.embeddings.position_ids"), loaded.ignoredTensors());
        }
    }

    @Test
    void halfPrecisionCheckpointsLoadAsFloat32() throws IOException {
        Path float16 = copyHfWithTensors((name, array) -> array.toType(DataType.FLOAT16, false), Map.of());
        assertLoadsCloseToFloat32(float16, 1e-2f);
        Path bfloat16 = copyFixture("hf");
        writeBfloat16(TestData.tinyClip().resolve("hf").resolve(HF_WEIGHTS), bfloat16.resolve(HF_WEIGHTS));
        assertLoadsCloseToFloat32(bfloat16, 1e-2f);
    }

    @Test
    void integerWeightsAreRejectedByName() throws IOException {
        Path dir = copyHfWithTensors((name, array) -> name.equals("visual_projection.weight")
                ? array.toType(DataType.INT32, false) : array, Map.of());
        IOException error = assertThrows(IOException.class, () -> load(dir));
        assertTrue(error.getMessage().contains("\"visual_projection.weight\" holds I32"), error.getMessage());
    }

    private static void assertLoadsCloseToFloat32(Path dir, float relativeTolerance) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel half = ClipCheckpoint.load(dir, EOT, manager).model();
            ClipModel full = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            for (Map.Entry<String, Parameter> entry : half.namedParameters().entrySet()) {
                NDArray loaded = entry.getValue().getArray();
                assertEquals(DataType.FLOAT32, loaded.getDataType(), entry.getKey());
                NDArray reference = full.namedParameters().get(entry.getKey()).getArray();
                float error = loaded.sub(reference).abs().max().getFloat();
                assertTrue(error <= relativeTolerance * Math.max(1, reference.abs().max().getFloat()),
                        entry.getKey() + ": " + error);
            }
        }
    }

    /** Writes a bfloat16 copy of a safetensors file by hand: DJL cannot create bfloat16 arrays without aborting. */
    private static void writeBfloat16(Path source, Path target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile file = SafetensorsFile.open(source)) {
            for (SafetensorsFile.TensorInfo info : file.tensors().values()) {
                float[] values = file.read(info.name(), manager).toFloatArray();
                ObjectNode node = header.putObject(info.name());
                node.put("dtype", "BF16");
                ArrayNode shape = node.putArray("shape");
                for (long dim : info.shape().getShape()) {
                    shape.add(dim);
                }
                node.putArray("data_offsets").add(data.size()).add(data.size() + 2L * values.length);
                for (float value : values) {
                    int bits = Float.floatToIntBits(value);
                    int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16; // round to nearest even
                    data.write(rounded & 0xFF);
                    data.write((rounded >>> 8) & 0xFF);
                }
            }
        }
        byte[] headerBytes = json.writeValueAsBytes(header);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerBytes.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(length.array());
        out.write(headerBytes);
        data.writeTo(out);
        Files.write(target, out.toByteArray());
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path dir = copyHfWithTensors((name, array) -> name.equals("vision_model.post_layernorm.bias") ? null : array,
                Map.of());
        IOException error = assertThrows(IOException.class, () -> load(dir));
        assertTrue(error.getMessage().contains("vision_model.post_layernorm.bias"), error.getMessage());
        assertTrue(error.getMessage().contains("lacks 1 tensor"), error.getMessage());
    }

    @Test
    void misshapenTensorIsNamedWithBothShapes() throws IOException {
        Path dir = copyHfWithTensors((name, array) -> name.equals("visual_projection.weight")
                ? array.get("0:32, :") : array, Map.of());
        IOException error = assertThrows(IOException.class, () -> load(dir));
        assertTrue(error.getMessage().contains("\"visual_projection.weight\" has shape (128, 32)"),
                error.getMessage());
        assertTrue(error.getMessage().contains("requires (128, 64)"), error.getMessage());
    }

    @Test
    void truncatedFileIsAClearError() throws IOException {
        Path dir = copyFixture("hf");
        Path weights = dir.resolve(HF_WEIGHTS);
        try (RandomAccessFile file = new RandomAccessFile(weights.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        IOException error = assertThrows(IOException.class, () -> load(dir));
        assertTrue(error.getMessage().contains("is truncated"), error.getMessage());
    }

    @Test
    void corruptHeaderEmptyFileAndHugeHeaderLengthAreClearErrors() throws IOException {
        Path dir = copyFixture("hf");
        Path weights = dir.resolve(HF_WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[8] = '#'; // the header's opening brace
        Files.write(weights, bytes);
        assertTrue(assertThrows(IOException.class, () -> load(dir)).getMessage().contains("corrupt safetensors header"));

        Files.write(weights, new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> load(dir)).getMessage().contains("only 0 bytes"));

        Files.write(weights, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0, 0, 1, 2, 3});
        assertTrue(assertThrows(IOException.class, () -> load(dir)).getMessage().contains("header length"));
    }

    @Test
    void folderWithoutCheckpointExplainsBothLayouts() {
        IOException error = assertThrows(IOException.class, () -> CheckpointLayout.detect(temp));
        assertTrue(error.getMessage().contains("open_clip_config.json"), error.getMessage());
        assertTrue(error.getMessage().contains("config.json+model.safetensors"), error.getMessage());
    }

    @Test
    void savedOpenClipCheckpointLoadsToTheSameModel() throws IOException {
        Path saved = temp.resolve("saved");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel original = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            ClipCheckpoint.saveOpenClip(original, saved, new PreprocessConfig(32, 32, 32,
                    new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}));
            for (String file : CheckpointLayout.TOKENIZER_FILES) {
                Files.copy(TestData.tinyClip().resolve("hf").resolve(file), saved.resolve(file));
            }
            ClipModel reloaded = ClipCheckpoint.load(saved, EOT, manager).model();
            assertEquals(original.config(), reloaded.config());
            original.namedParameters().forEach((name, parameter) -> assertArrayEquals(
                    parameter.getArray().toFloatArray(),
                    reloaded.namedParameters().get(name).getArray().toFloatArray(), 0f, name));
            assertEquals(new PreprocessConfig(32, 32, 32, new float[] {0.5f, 0.5f, 0.5f},
                    new float[] {0.25f, 0.25f, 0.25f}), PreprocessConfig.fromOpenClip(new ObjectMapper().readTree(
                    saved.resolve("open_clip_config.json").toFile()).get("preprocess_cfg"), 32));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray pixels = manager.randomNormal(new Shape(2, 3, 32, 32));
            assertArrayEquals(original.encodeImage(store, pixels, false).toFloatArray(),
                    reloaded.encodeImage(store, pixels, false).toFloatArray(), 1e-5f);
        }
    }

    private ClipModel load(Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            return ClipCheckpoint.load(dir, EOT, manager).model();
        }
    }

    private Path copyFixture(String layout) throws IOException {
        Path source = TestData.tinyClip().resolve(layout);
        Path dir = temp.resolve(layout);
        Files.createDirectories(dir);
        try (var files = Files.list(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** A copy of the HF fixture whose tensors pass through {@code edit} (null drops one), plus extra int64 buffers. */
    private Path copyHfWithTensors(BiFunction<String, NDArray, NDArray> edit, Map<String, Integer> extraBuffers)
            throws IOException {
        Path dir = copyFixture("hf");
        Path weights = dir.resolve(HF_WEIGHTS);
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile file = SafetensorsFile.open(weights)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : file.tensors().keySet()) {
                NDArray edited = edit.apply(name, file.read(name, manager));
                if (edited != null) {
                    tensors.put(name, edited);
                }
            }
            extraBuffers.forEach((name, length) -> tensors.put(name,
                    manager.arange(0, length, 1, DataType.INT64).reshape(1, length)));
            SafetensorsWriter.write(weights, tensors, Map.of("format", "pt"));
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        return dir;
    }
}
