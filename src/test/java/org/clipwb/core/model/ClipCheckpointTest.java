package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.ImageDecoder;
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
            assertEquals(List.of("text_model.embeddings.position_ids"), loaded.ignoredTensors());
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
            // open_clip crops as torchvision does, whatever rule the saved settings had
            assertEquals(new PreprocessConfig(32, 32, 32, new float[] {0.5f, 0.5f, 0.5f},
                    new float[] {0.25f, 0.25f, 0.25f}, PreprocessConfig.CropRule.TORCHVISION), PreprocessConfig.fromOpenClip(new ObjectMapper().readTree(
                    saved.resolve("open_clip_config.json").toFile()).get("preprocess_cfg"), 32));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray pixels = manager.randomNormal(new Shape(2, 3, 32, 32));
            assertArrayEquals(original.encodeImage(store, pixels, false).toFloatArray(),
                    reloaded.encodeImage(store, pixels, false).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void savedHuggingFaceCheckpointHasTransformersNamesShapesAndValues() throws IOException {
        Path fixture = TestData.tinyClip().resolve("hf");
        Path saved = temp.resolve("saved");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(fixture, EOT, manager).model();
            ClipCheckpoint.saveHuggingFace(model, saved, PreprocessConfig.fromHuggingFace(
                    fixture.resolve("preprocessor_config.json")));
            try (SafetensorsFile expected = SafetensorsFile.open(fixture.resolve(HF_WEIGHTS));
                    SafetensorsFile actual = SafetensorsFile.open(saved.resolve(HF_WEIGHTS))) {
                assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
                for (String name : expected.tensors().keySet()) {
                    assertEquals(DataType.FLOAT32, actual.tensors().get(name).dataType(), name);
                    assertEquals(expected.tensors().get(name).shape(), actual.tensors().get(name).shape(), name);
                    assertArrayEquals(expected.read(name, manager).toFloatArray(),
                            actual.read(name, manager).toFloatArray(), 0f, name);
                }
            }
        }
        assertFalse(Files.list(saved).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void savedHuggingFaceConfigFilesUseTransformersKeysAndValues() throws IOException {
        Path fixture = TestData.tinyClip().resolve("hf");
        Path saved = temp.resolve("saved");
        PreprocessConfig preprocessing = PreprocessConfig.fromHuggingFace(fixture.resolve("preprocessor_config.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipCheckpoint.saveHuggingFace(ClipCheckpoint.load(fixture, EOT, manager).model(), saved, preprocessing);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(saved.resolve("config.json").toFile());
        JsonNode expectedConfig = json.readTree(fixture.resolve("config.json").toFile());
        // Every key written is one transformers wrote for the same model, with the same value; the fixture also has
        // bos/pad token ids, which a model does not know.
        assertEquals(expectedConfig.get("logit_scale_init_value").asDouble(),
                config.get("logit_scale_init_value").asDouble(), 1e-4);
        assertSameValues(expectedConfig, config, "logit_scale_init_value");
        assertEquals(EOT, config.path("text_config").path("eos_token_id").asInt());

        JsonNode preprocessor = json.readTree(saved.resolve("preprocessor_config.json").toFile());
        JsonNode expectedPreprocessor = json.readTree(fixture.resolve("preprocessor_config.json").toFile());
        assertEquals(sorted(expectedPreprocessor.fieldNames()), sorted(preprocessor.fieldNames()));
        assertSameValues(expectedPreprocessor, preprocessor, "image_mean", "image_std");
        assertEquals(preprocessing, PreprocessConfig.fromHuggingFace(saved.resolve("preprocessor_config.json")));
    }

    @Test
    void huggingFaceRoundTripOfBothLayoutsKeepsParametersFeaturesConfigAndPreprocessing() throws Exception {
        PreprocessConfig custom = new PreprocessConfig(40, 32, 32, new float[] {0.5f, 0.25f, 0.125f},
                new float[] {0.2f, 0.3f, 0.4f});
        for (String layout : new String[] {"hf", "open_clip"}) {
            Path source = TestData.tinyClip().resolve(layout);
            Path saved = temp.resolve("saved-" + layout);
            try (Clip original = Clip.load(source, layout, Device.cpu())) {
                ClipCheckpoint.saveHuggingFace(original.model(), saved, custom);
                copyTokenizer(source, saved);
                PreprocessConfig expectedPreprocessing = original.preprocessor().config();
                try (Clip reloaded = Clip.load(saved, layout, Device.cpu())) {
                    assertEquals(CheckpointLayout.HUGGING_FACE, reloaded.layout());
                    assertEquals(original.model().config(), reloaded.model().config(), layout);
                    assertEquals(original.model().config(), ClipConfig.fromHuggingFace(saved.resolve("config.json")));
                    assertEquals(custom, reloaded.preprocessor().config(), layout);
                    assertParametersEqual(original.model(), reloaded.model());
                    // Bit-identical weights; the features may still differ in the last bit, as the CPU kernels'
                    // summation order depends on the alignment of the weight buffers.
                    List<String> texts = List.of("a photo of a dog.", "circle");
                    float[][] expectedTexts = original.embedTexts(texts);
                    float[][] actualTexts = reloaded.embedTexts(texts);
                    for (int i = 0; i < texts.size(); i++) {
                        assertArrayEquals(expectedTexts[i], actualTexts[i], 1e-6f, texts.get(i));
                    }
                    // Same pixels into both: the preprocessing is compared above, the weights here.
                    float[] pixels = new ClipPreprocessor(expectedPreprocessing).toTensor(
                            ImageDecoder.decode(TestData.tinyClip().resolve("images/wide_rgb.png")));
                    assertArrayEquals(original.embedPixels(pixels, 1)[0], reloaded.embedPixels(pixels, 1)[0], 1e-6f,
                            layout);
                }
            }
        }
    }

    @Test
    void openClipAndHuggingFaceSavesAgree() throws IOException {
        Path openClip = temp.resolve("open_clip");
        Path direct = temp.resolve("direct");
        Path viaOpenClip = temp.resolve("via-open-clip");
        PreprocessConfig preprocessing = PreprocessConfig.openAiDefaults(32);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            ClipCheckpoint.saveHuggingFace(model, direct, preprocessing);
            ClipCheckpoint.saveOpenClip(model, openClip, preprocessing);
            copyTokenizer(TestData.tinyClip().resolve("hf"), openClip);
            ClipModel reloaded = ClipCheckpoint.load(openClip, EOT, manager).model();
            assertParametersEqual(model, reloaded);
            ClipCheckpoint.saveHuggingFace(reloaded, viaOpenClip, preprocessing);
        }
        for (String file : new String[] {"model.safetensors", "config.json", "preprocessor_config.json"}) {
            assertEquals(-1, Files.mismatch(direct.resolve(file), viaOpenClip.resolve(file)), file);
        }
    }

    @Test
    void halfPrecisionModelsAreSavedAsFloat32() throws IOException {
        Path fixture = TestData.tinyClip().resolve("hf");
        Path saved = temp.resolve("saved");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel half = ClipCheckpoint.load(fixture, EOT, manager, Precision.FP16).model();
            ClipCheckpoint.saveHuggingFace(half, saved, PreprocessConfig.openAiDefaults(32));
            copyTokenizer(fixture, saved);
            try (SafetensorsFile file = SafetensorsFile.open(saved.resolve(HF_WEIGHTS))) {
                file.tensors().values().forEach(info -> assertEquals(DataType.FLOAT32, info.dataType(), info.name()));
            }
            ClipModel reloaded = ClipCheckpoint.load(saved, EOT, manager).model();
            half.namedParameters().forEach((name, parameter) -> assertArrayEquals(
                    parameter.getArray().toType(DataType.FLOAT32, false).toFloatArray(),
                    reloaded.namedParameters().get(name).getArray().toFloatArray(), 0f, name));
        }
    }

    private static void assertParametersEqual(ClipModel expected, ClipModel actual) {
        assertEquals(expected.namedParameters().keySet(), actual.namedParameters().keySet());
        expected.namedParameters().forEach((name, parameter) -> assertArrayEquals(
                parameter.getArray().toFloatArray(), actual.namedParameters().get(name).getArray().toFloatArray(),
                0f, name));
    }

    /** Every field of {@code actual} (recursively) has the same value in {@code expected}, except {@code skipped}. */
    private static void assertSameValues(JsonNode expected, JsonNode actual, String... skipped) {
        Set<String> skip = Set.of(skipped);
        for (Map.Entry<String, JsonNode> field : actual.properties()) {
            if (skip.contains(field.getKey())) {
                continue;
            }
            JsonNode want = expected.get(field.getKey());
            assertTrue(want != null, "unexpected key " + field.getKey());
            if (field.getValue().isObject()) {
                assertSameValues(want, field.getValue());
            } else if (field.getValue().isNumber()) {
                assertEquals(want.asDouble(), field.getValue().asDouble(), 0, field.getKey());
            } else {
                assertEquals(want, field.getValue(), field.getKey());
            }
        }
    }

    private static List<String> sorted(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        list.sort(null);
        return list;
    }

    private static void copyTokenizer(Path from, Path to) throws IOException {
        for (String file : CheckpointLayout.TOKENIZER_FILES) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
    }

    private ClipModel load(Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            return ClipCheckpoint.load(dir, EOT, manager).model();
        }
    }

    private Path copyFixture(String layout) throws IOException {
        return copyFixture(layout, temp);
    }

    /** A copy of the tiny-clip fixture folder {@code layout} in {@code temp}, to edit. */
    static Path copyFixture(String layout, Path temp) throws IOException {
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
