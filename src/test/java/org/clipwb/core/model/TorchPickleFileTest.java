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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyTorch checkpoint reader on the fixtures and on pickles built byte by byte. */
class TorchPickleFileTest {
    /** What the malicious fixture's payload would create: {@code echo ... > /tmp/clipwb-pickle-executed}. */
    private static final Path PAYLOAD_MARKER = Path.of("/tmp/clipwb-pickle-executed");
    private static final List<String> POSITION_IDS = List.of("text_model.embeddings.position_ids",
            "vision_model.embeddings.position_ids");

    @TempDir
    Path temp;

    @Test
    void zipCheckpointsHoldTheSafetensorsValuesExactly() throws IOException {
        assertSameTensors(fixture("hf/model.safetensors"), fixture("hf-bin/pytorch_model.bin"), DataType.FLOAT32);
        assertSameTensors(fixture("open_clip/open_clip_model.safetensors"),
                fixture("open_clip-bin/open_clip_pytorch_model.bin"), DataType.FLOAT32);
    }

    @Test
    void legacyCheckpointHoldsTheSafetensorsValuesExactly() throws IOException {
        assertSameTensors(fixture("hf/model.safetensors"), fixture("pickle-variants/legacy_format.bin"),
                DataType.FLOAT32);
    }

    @Test
    void float16CheckpointHoldsTheValuesRoundedToFloat16() throws IOException {
        assertSameTensors(fixture("hf/model.safetensors"), fixture("pickle-variants/fp16_pytorch_model.bin"),
                DataType.FLOAT16);
    }

    @Test
    void int64PositionIdsAreReadAsInt64() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                TensorFile file = TensorFile.open(fixture("hf-bin/pytorch_model.bin"))) {
            assertEquals(WeightsFormat.PYTORCH_PICKLE, file.format());
            NDArray ids = file.read(POSITION_IDS.get(0), manager);
            assertEquals(DataType.INT64, ids.getDataType());
            assertEquals(new Shape(1, 77), ids.getShape());
            assertArrayEquals(LongStream.range(0, 77).toArray(), ids.toLongArray());
        }
    }

    @Test
    void maliciousCheckpointIsRefusedBeforeAnythingRuns() throws IOException {
        Files.deleteIfExists(PAYLOAD_MARKER);
        Path malicious = fixture("pickle-variants/malicious.bin");

        IOException error = assertThrows(IOException.class, () -> TorchPickleFile.open(malicious));

        assertEquals(malicious + " refuses to load: its pickle asks for the global 'posix.system', which a "
                + "checkpoint never needs; it may be malicious (nothing in it was run)", error.getMessage());
        assertFalse(Files.exists(PAYLOAD_MARKER));
    }

    @Test
    void offsetsStridesAndSharedStoragesGiveTheViewedValues() throws IOException {
        float[] twelve = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        Pickle pickle = new Pickle().stateDict(Map.of(
                "matrix", tensor("FloatStorage", "0", 12, 0, dims(3, 4), dims(4, 1)),
                "transposed", tensor("FloatStorage", "0", 12, 0, dims(4, 3), dims(1, 4)),
                "row", tensor("FloatStorage", "0", 12, 4, dims(4), dims(1)),
                "column", tensor("FloatStorage", "0", 12, 1, dims(3), dims(4)),
                "scalar", tensor("FloatStorage", "0", 12, 11, dims(), dims()),
                "broadcast", tensor("FloatStorage", "0", 12, 2, dims(2, 3), dims(0, 1))));
        Path file = zip(pickle, Map.of("0", floats(twelve)));
        try (NDManager manager = NDManager.newBaseManager(); TensorFile tensors = TorchPickleFile.open(file)) {
            assertArrayEquals(twelve, tensors.read("matrix", manager).toFloatArray());
            NDArray transposed = tensors.read("transposed", manager);
            assertEquals(new Shape(4, 3), transposed.getShape());
            assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, transposed.toFloatArray());
            assertArrayEquals(new float[] {4, 5, 6, 7}, tensors.read("row", manager).toFloatArray());
            assertArrayEquals(new float[] {1, 5, 9}, tensors.read("column", manager).toFloatArray());
            NDArray scalar = tensors.read("scalar", manager);
            assertEquals(new Shape(), scalar.getShape());
            assertEquals(11f, scalar.getFloat());
            assertArrayEquals(new float[] {2, 3, 4, 2, 3, 4}, tensors.read("broadcast", manager).toFloatArray());
        }
    }

    @Test
    void parametersBfloat16AndInt64StoragesLoad() throws IOException {
        // bfloat16 of 1, -2 and 0.5: the upper halves of their float32 bits.
        ByteBuffer bfloat16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x3F00);
        Pickle pickle = new Pickle().stateDict(Map.of(
                "weight", parameter(tensor("BFloat16Storage", "b", 3, 0, dims(3), dims(1))),
                "ids", tensor("LongStorage", "i", 2, 0, dims(2), dims(1))));
        Path file = zip(pickle, Map.of("b", bfloat16.array(), "i", longs(7, -1)));
        try (NDManager manager = NDManager.newBaseManager(); TensorFile tensors = TorchPickleFile.open(file)) {
            assertEquals(DataType.BFLOAT16, tensors.tensors().get("weight").dataType());
            NDArray weight = tensors.read("weight", manager);
            assertEquals(DataType.FLOAT32, weight.getDataType());
            assertArrayEquals(new float[] {1, -2, 0.5f}, weight.toFloatArray());
            assertArrayEquals(new long[] {7, -1}, tensors.read("ids", manager).toLongArray());
        }
    }

    @Test
    void globalsBeyondTheAllowlistAreRefusedByName() throws IOException {
        Path stackGlobal = zip(new Pickle().proto().unicode("builtins").unicode("eval").op(0x93).stop(), Map.of());
        IOException error = assertThrows(IOException.class, () -> TorchPickleFile.open(stackGlobal));
        assertTrue(error.getMessage().contains("asks for the global 'builtins.eval'"), error.getMessage());

        Path global = zip(new Pickle().proto().global("os", "system").stop(), Map.of());
        error = assertThrows(IOException.class, () -> TorchPickleFile.open(global));
        assertTrue(error.getMessage().startsWith(global + " refuses to load"), error.getMessage());
        assertTrue(error.getMessage().contains("'os.system'"), error.getMessage());
    }

    @Test
    void truncatedAndCorruptFilesAreClearErrorsNamingTheFile() throws IOException {
        Path file = zip(new Pickle().stateDict(Map.of("t", tensor("FloatStorage", "0", 4, 0, dims(4), dims(1)))),
                Map.of("0", floats(1, 2, 3, 4)));
        byte[] bytes = Files.readAllBytes(file);

        assertError(Arrays.copyOf(bytes, bytes.length / 2), "zip archive is truncated or damaged");
        assertError(new byte[0], "has only 0 bytes");
        assertError("plain text".getBytes(StandardCharsets.US_ASCII), "neither a zip archive nor a pickle");

        Pickle stateDict = new Pickle().stateDict(Map.of("t", tensor("FloatStorage", "0", 4, 0, dims(4), dims(1))));
        byte[] pickle = stateDict.bytes();
        assertError(zipBytes(Arrays.copyOf(pickle, pickle.length - 10), Map.of("0", floats(1, 2, 3, 4))),
                "ended early at byte");
        assertError(zipBytes(pickle, Map.of("0", floats(1, 2, 3))), "tensor \"t\" needs 4 elements from element 0 "
                + "of storage 0, which holds 3");
        assertError(zipBytes(pickle, Map.of()), "lacks archive/data/0");
        assertError(zipBytes(new Pickle().proto().op('X').int32(Integer.MAX_VALUE).bytes(), Map.of()),
                "a string of 2147483647 bytes does not fit in a pickle");
        assertError(zipBytes(new Pickle().proto().op('h').op(7).bytes(), Map.of()), "memo entry 7");
        assertError(zipBytes(new Pickle().proto().op(0xff).bytes(), Map.of()), "unsupported pickle opcode 0xff");
        assertError(zipBytes(new Pickle().proto().unicode("x").stop().bytes(), Map.of()), "holds a str, not a state dict");

        byte[] legacy = Files.readAllBytes(fixture("pickle-variants/legacy_format.bin"));
        assertError(Arrays.copyOf(legacy, 5000), "ended early at byte 5000, inside a pickle");
        assertError(Arrays.copyOf(legacy, legacy.length - 1), "but the file ends at byte " + (legacy.length - 1));
    }

    private void assertError(byte[] content, String expected) throws IOException {
        Path file = Files.write(temp.resolve("broken.bin"), content);
        IOException error = assertThrows(IOException.class, () -> TorchPickleFile.open(file).close());
        assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    /** Every tensor of {@code safetensors} is in {@code pickle} with the same shape and, rounded to type, values. */
    private static void assertSameTensors(Path safetensors, Path pickle, DataType storedAs) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); TensorFile expected = TensorFile.open(safetensors);
                TensorFile actual = TensorFile.open(pickle)) {
            List<String> extra = actual.tensors().keySet().stream()
                    .filter(name -> !expected.tensors().containsKey(name)).toList();
            assertTrue(POSITION_IDS.containsAll(extra), extra.toString());
            for (String name : expected.tensors().keySet()) {
                assertEquals(storedAs, actual.tensors().get(name).dataType(), name);
                assertEquals(expected.tensors().get(name).shape(), actual.tensors().get(name).shape(), name);
                float[] want = expected.read(name, manager).toType(storedAs, false).toType(DataType.FLOAT32, false)
                        .toFloatArray();
                assertArrayEquals(want, actual.read(name, manager).toType(DataType.FLOAT32, false).toFloatArray(),
                        0f, name);
            }
        }
    }

    private static Path fixture(String relative) {
        return TestData.tinyClip().resolve(relative);
    }

    private Path zip(Pickle pickle, Map<String, byte[]> storages) throws IOException {
        return Files.write(temp.resolve("checkpoint.bin"), zipBytes(pickle.bytes(), storages));
    }

    /** A zip checkpoint as torch.save lays it out, in folder {@code archive/}. */
    private static byte[] zipBytes(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            add(zip, "archive/data.pkl", pickle);
            add(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> storage : storages.entrySet()) {
                add(zip, "archive/data/" + storage.getKey(), storage.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static void add(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return buffer.array();
    }

    private static long[] dims(long... values) {
        return values;
    }

    /** What torch.save writes for one tensor: _rebuild_tensor_v2 of a persistent storage. */
    private static Pickle.Value tensor(String storageType, String key, long elements, long offset, long[] size,
            long[] strides) {
        return pickle -> pickle.global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", storageType).unicode(key).unicode("cpu").integer(elements)
                .op('t').op('Q')
                .integer(offset).tuple(size).tuple(strides).op(0x89)
                .global("collections", "OrderedDict").op(')').op('R')
                .op('t').op('R');
    }

    /** What torch.save writes for an nn.Parameter: _rebuild_parameter(tensor, requires_grad, hooks). */
    private static Pickle.Value parameter(Pickle.Value tensor) {
        return pickle -> {
            pickle.global("torch._utils", "_rebuild_parameter").mark();
            tensor.write(pickle);
            pickle.op(0x88).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
        };
    }

    /** Writes protocol 2 pickles opcode by opcode. */
    private static final class Pickle {
        /** Something that writes one value onto the pickle's stack. */
        interface Value {
            void write(Pickle pickle);
        }

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle proto() {
            return op(0x80).op(2);
        }

        Pickle mark() {
            return op('(');
        }

        Pickle stop() {
            return op('.');
        }

        Pickle int32(int value) {
            byte[] bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
            out.writeBytes(bytes);
            return this;
        }

        Pickle integer(long value) {
            return op('J').int32(Math.toIntExact(value));
        }

        Pickle unicode(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            op('X').int32(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Pickle tuple(long[] values) {
            mark();
            for (long value : values) {
                integer(value);
            }
            return op('t');
        }

        /** A whole pickle: an OrderedDict of the given tensors. */
        Pickle stateDict(Map<String, Value> tensors) {
            proto().global("collections", "OrderedDict").op(')').op('R').mark();
            new LinkedHashMap<>(tensors).forEach((name, tensor) -> {
                unicode(name);
                tensor.write(this);
            });
            return op('u').stop();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
