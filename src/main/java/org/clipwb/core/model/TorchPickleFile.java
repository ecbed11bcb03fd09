package org.clipwb.core.model;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.clipwb.core.model.PickleMachine.PythonCallable;

/**
 * A checkpoint written by {@code torch.save} ({@code pytorch_model.bin}, {@code open_clip_pytorch_model.bin}), opened
 * for random access to the tensors of its state dict. Both of PyTorch's formats load: the zip archive of PyTorch 1.6
 * and later ({@code <archive>/data.pkl} and one {@code <archive>/data/<key>} entry per storage) and the legacy stream
 * (pickles of a magic number, the format version, system information, the state dict and its storage keys, then each
 * storage as an 8-byte element count and its bytes). Tensors may share storages, start at an offset and have any
 * strides; the data is little-endian, of any type DJL knows (float32, float16, bfloat16, int64, ...).
 *
 * <p>Hand-written because no maintained Java library reads torch pickles and DJL has none (its PyTorch engine loads
 * TorchScript only). Unpickling with Python runs whatever the pickle names, so {@link PickleMachine} runs nothing and
 * this class allows only the globals a state dict needs: the functions that rebuild tensors and parameters, the
 * storage types, dtypes and {@code collections.OrderedDict}. Any other global refuses the whole file at once.
 */
public final class TorchPickleFile implements TensorFile {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final int PICKLE_PROTO = 0x80;
    /** torch.serialization's MAGIC_NUMBER, the first pickle of a legacy file. */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_FORMAT_VERSION = 1001;
    private static final Pattern ZIP_PICKLE = Pattern.compile("([^/]+/)?data\\.pkl");

    /** Storage types and dtypes by their names in module torch. */
    private static final Map<String, DataType> STORAGE_TYPES = Map.ofEntries(
            Map.entry("FloatStorage", DataType.FLOAT32), Map.entry("DoubleStorage", DataType.FLOAT64),
            Map.entry("HalfStorage", DataType.FLOAT16), Map.entry("BFloat16Storage", DataType.BFLOAT16),
            Map.entry("LongStorage", DataType.INT64), Map.entry("IntStorage", DataType.INT32),
            Map.entry("ShortStorage", DataType.INT16), Map.entry("CharStorage", DataType.INT8),
            Map.entry("ByteStorage", DataType.UINT8), Map.entry("BoolStorage", DataType.BOOLEAN),
            Map.entry("UntypedStorage", DataType.UINT8));
    private static final Map<String, DataType> DTYPES = Map.ofEntries(
            Map.entry("float32", DataType.FLOAT32), Map.entry("float", DataType.FLOAT32),
            Map.entry("float64", DataType.FLOAT64), Map.entry("double", DataType.FLOAT64),
            Map.entry("float16", DataType.FLOAT16), Map.entry("half", DataType.FLOAT16),
            Map.entry("bfloat16", DataType.BFLOAT16), Map.entry("int64", DataType.INT64),
            Map.entry("long", DataType.INT64), Map.entry("int32", DataType.INT32), Map.entry("int", DataType.INT32),
            Map.entry("int16", DataType.INT16), Map.entry("short", DataType.INT16), Map.entry("int8", DataType.INT8),
            Map.entry("uint8", DataType.UINT8), Map.entry("bool", DataType.BOOLEAN));
    /** Every global a checkpoint may name, by "module name"; values are plain Java, nothing Python is imported. */
    private static final Map<String, Object> ALLOWED_GLOBALS = allowedGlobals();

    /** A storage as a persistent id names it: the key of its bytes, and the type they hold. */
    private record Storage(String key, DataType dataType) {
    }

    /** A storage type global such as {@code torch.FloatStorage}. */
    private record StorageType(DataType dataType) {
    }

    /** A tensor of the state dict: a view of a storage, its offset and strides counted in elements. */
    private record StoredTensor(Storage storage, DataType dataType, long offset, long[] size, long[] strides)
            implements Tensor {
        @Override
        public Shape shape() {
            return new Shape(size);
        }

        long elements() {
            return Arrays.stream(size).reduce(1, Math::multiplyExact);
        }

        /** Elements of the storage from the first the view reads to the last (0 when it is empty). */
        long span() {
            long last = 0;
            for (int axis = 0; axis < size.length; axis++) {
                if (size[axis] == 0) {
                    return 0;
                }
                last = Math.addExact(last, Math.multiplyExact(size[axis] - 1, strides[axis]));
            }
            return Math.addExact(last, 1);
        }

        /** Whether the elements lie in row-major order without gaps (the strides of axes of size 1 do not matter). */
        boolean contiguous() {
            long expected = 1;
            for (int axis = size.length - 1; axis >= 0; axis--) {
                if (size[axis] != 1 && strides[axis] != expected) {
                    return false;
                }
                expected *= size[axis];
            }
            return true;
        }
    }

    /** Where each storage's bytes are: entries of a zip archive or spans of a legacy file. */
    private interface StorageBytes extends Closeable {
        /** The storage's size in bytes; fails when the file lacks it. */
        long length(String key) throws IOException;

        /** Fills {@code into} with the storage's bytes from byte {@code from} on. */
        void read(String key, long from, ByteBuffer into) throws IOException;
    }

    private final Path path;
    private final StorageBytes storages;
    private final Map<String, StoredTensor> tensors;

    private TorchPickleFile(Path path, StorageBytes storages, Map<String, StoredTensor> tensors) {
        this.path = path;
        this.storages = storages;
        this.tensors = tensors;
    }

    /**
     * Opens a checkpoint in either format and checks that every tensor lies within its storage; the tensor data is
     * read lazily. A truncated or corrupt file, or one whose pickle names a global beyond those a state dict needs,
     * is an {@link IOException} naming the file.
     */
    public static TorchPickleFile open(Path path) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(path)) {
            start = in.readNBytes(ZIP_MAGIC.length);
        }
        if (Arrays.equals(start, ZIP_MAGIC)) {
            return openZip(path);
        }
        if (start.length > 0 && (start[0] & 0xFF) == PICKLE_PROTO) {
            return openLegacy(path);
        }
        throw corrupt(path, start.length < ZIP_MAGIC.length ? "it has only " + start.length + " bytes (truncated or "
                + "empty; get it again)" : "it is neither a zip archive nor a pickle");
    }

    private static TorchPickleFile openZip(Path path) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw corrupt(path, "its zip archive is truncated or damaged (" + e.getMessage() + "; get it again)");
        }
        try {
            ZipEntry pickle = zip.stream().filter(entry -> ZIP_PICKLE.matcher(entry.getName()).matches()).findFirst()
                    .orElseThrow(() -> corrupt(path, "its zip archive has no data.pkl"));
            String archive = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(archive + "byteorder");
            if (byteOrder != null) {
                try (InputStream in = zip.getInputStream(byteOrder)) {
                    if (!new String(in.readNBytes(16), StandardCharsets.US_ASCII).equals("little")) {
                        throw bigEndian(path);
                    }
                }
            }
            Object stateDict;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pickle))) {
                stateDict = new PickleMachine(in, path.toString(), (module, name) -> allowedGlobal(path, module, name),
                        id -> storage(id, 5)).next();
            }
            return withTensors(path, stateDict, new ZipStorages(zip, archive + "data/", path));
        } catch (ZipException e) {
            zip.close();
            throw corrupt(path, "its zip archive is damaged (" + e.getMessage() + "; get it again)");
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static TorchPickleFile openLegacy(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            Map<String, DataType> storageTypes = new HashMap<>();
            PickleMachine pickles = new PickleMachine(new BufferedInputStream(Channels.newInputStream(channel)),
                    path.toString(), (module, name) -> allowedGlobal(path, module, name),
                    id -> legacyStorage(id, storageTypes));
            if (!LEGACY_MAGIC.equals(pickles.next())) {
                throw corrupt(path, "it is a pickle without PyTorch's magic number");
            }
            Object version = pickles.next();
            if (!Long.valueOf(LEGACY_FORMAT_VERSION).equals(version)) {
                throw corrupt(path, "its legacy format version is " + version + ", not " + LEGACY_FORMAT_VERSION);
            }
            if (!(pickles.next() instanceof Map<?, ?> systemInfo)
                    || !Boolean.TRUE.equals(systemInfo.get("little_endian"))) {
                throw bigEndian(path);
            }
            Object stateDict = pickles.next();
            if (!(pickles.next() instanceof List<?> keys)) {
                throw corrupt(path, "its list of storage keys is missing");
            }
            return withTensors(path, stateDict,
                    LegacyStorages.locate(channel, pickles.position(), keys, storageTypes, path));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file over the tensors of {@code stateDict}, each checked to lie within its storage. */
    private static TorchPickleFile withTensors(Path path, Object stateDict, StorageBytes storages) throws IOException {
        if (!(stateDict instanceof Map<?, ?> entries)) {
            throw corrupt(path, "its pickle holds a " + PickleMachine.typeName(stateDict) + ", not a state dict");
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            if (entry.getKey() instanceof String name && entry.getValue() instanceof StoredTensor tensor) {
                long available = storages.length(tensor.storage().key()) / tensor.dataType().getNumOfBytes();
                if (tensor.offset() > available || tensor.span() > available - tensor.offset()) {
                    throw corrupt(path, "tensor \"" + name + "\" needs " + tensor.span() + " elements from element "
                            + tensor.offset() + " of storage " + tensor.storage().key() + ", which holds " + available
                            + " (truncated or corrupt; get the file again)");
                }
                tensors.put(name, tensor);
            }
        }
        if (tensors.isEmpty()) {
            throw corrupt(path, "its state dict holds no tensors");
        }
        return new TorchPickleFile(path, storages, Collections.unmodifiableMap(tensors));
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public WeightsFormat format() {
        return WeightsFormat.PYTORCH_PICKLE;
    }

    @Override
    public Map<String, ? extends Tensor> tensors() {
        return tensors;
    }

    @Override
    public Values readValues(String name) throws IOException {
        StoredTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IOException(path + " has no tensor \"" + name + "\"");
        }
        int elementBytes = tensor.dataType().getNumOfBytes();
        ByteBuffer stored = TensorBytes.allocate(path, name, tensor.span(), tensor.dataType());
        storages.read(tensor.storage().key(), tensor.offset() * elementBytes, stored);
        stored.flip();
        ByteBuffer data = tensor.contiguous() ? stored : gather(stored, tensor,
                TensorBytes.allocate(path, name, tensor.elements(), tensor.dataType()));
        return new Values(data, tensor.dataType(), tensor.shape());
    }

    /** Copies the elements of a strided view into {@code target} in row-major order, a row of the last axis at once. */
    private static ByteBuffer gather(ByteBuffer stored, StoredTensor tensor, ByteBuffer target) {
        long[] size = tensor.size();
        long[] strides = tensor.strides();
        int elementBytes = tensor.dataType().getNumOfBytes();
        int last = size.length - 1; // at least 0: a tensor of rank 0 is contiguous
        int rowLength = (int) size[last];
        long[] index = new long[last];
        for (int written = 0; written < target.capacity(); written += rowLength * elementBytes) {
            long rowStart = 0;
            for (int axis = 0; axis < last; axis++) {
                rowStart += index[axis] * strides[axis];
            }
            if (strides[last] == 1) {
                target.put(written, stored, (int) (rowStart * elementBytes), rowLength * elementBytes);
            } else {
                for (int i = 0; i < rowLength; i++) {
                    target.put(written + i * elementBytes, stored,
                            (int) ((rowStart + i * strides[last]) * elementBytes), elementBytes);
                }
            }
            for (int axis = last - 1; axis >= 0 && ++index[axis] == size[axis]; axis--) {
                index[axis] = 0;
            }
        }
        return target;
    }

    @Override
    public void close() throws IOException {
        storages.close();
    }

    private static Map<String, Object> allowedGlobals() {
        Map<String, Object> globals = new HashMap<>();
        globals.put("collections OrderedDict", (PythonCallable) arguments -> {
            if (!arguments.isEmpty()) {
                throw new IllegalArgumentException("OrderedDict is built with arguments");
            }
            return new LinkedHashMap<>();
        });
        // (storage, storage_offset, size, stride), then in _v2 requires_grad, backward_hooks and metadata.
        globals.put("torch._utils _rebuild_tensor", (PythonCallable) arguments -> tensor(arguments, 4, null));
        globals.put("torch._utils _rebuild_tensor_v2", (PythonCallable) arguments -> tensor(arguments, 6, null));
        // _v3 adds the dtype, for tensors whose storage is untyped bytes.
        globals.put("torch._utils _rebuild_tensor_v3", (PythonCallable) arguments -> tensor(arguments, 7,
                argument(arguments, 6, DataType.class, "_rebuild_tensor_v3's dtype")));
        // (data, requires_grad, backward_hooks): a parameter is its tensor here.
        globals.put("torch._utils _rebuild_parameter", (PythonCallable) arguments -> argument(arguments, 0,
                StoredTensor.class, "a parameter's data"));
        STORAGE_TYPES.forEach((name, type) -> globals.put("torch " + name, new StorageType(type)));
        DTYPES.forEach((name, type) -> globals.put("torch " + name, type));
        return Map.copyOf(globals);
    }

    private static Object allowedGlobal(Path path, String module, String name) throws IOException {
        Object value = ALLOWED_GLOBALS.get(module + " " + name);
        if (value == null) {
            throw new IOException(path + " refuses to load: its pickle asks for the global '" + module + "." + name
                    + "', which a checkpoint never needs; it may be malicious (nothing in it was run)");
        }
        return value;
    }

    /** A tensor rebuilt from {@code arguments}, of {@code dataType} or, when null, its storage's. */
    private static StoredTensor tensor(List<Object> arguments, int count, DataType dataType) {
        if (arguments.size() < count) {
            throw new IllegalArgumentException("a tensor is rebuilt from " + arguments.size() + " arguments, not "
                    + count);
        }
        Storage storage = argument(arguments, 0, Storage.class, "a tensor's storage");
        long offset = argument(arguments, 1, Long.class, "a tensor's storage offset");
        long[] size = lengths(arguments.get(2), "a tensor's size");
        long[] strides = lengths(arguments.get(3), "a tensor's strides");
        if (offset < 0 || size.length != strides.length) {
            throw new IllegalArgumentException("a tensor has offset " + offset + ", " + size.length + " sizes and "
                    + strides.length + " strides");
        }
        StoredTensor tensor = new StoredTensor(storage, dataType == null ? storage.dataType() : dataType, offset, size,
                strides);
        try {
            tensor.elements();
            tensor.span();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a tensor of size " + Arrays.toString(size) + " is too large");
        }
        return tensor;
    }

    /**
     * A persistent id of {@code fields} parts: ("storage", storage type, key, location, element count), to which
     * legacy files add a view.
     */
    private static Storage storage(Object id, int fields) {
        List<?> parts = cast(id, List.class, "a persistent id");
        if (parts.size() != fields || !"storage".equals(parts.get(0))) {
            throw new IllegalArgumentException("a persistent id is not (\"storage\", type, key, location, size)");
        }
        DataType dataType = argument(parts, 1, StorageType.class, "a storage's type").dataType();
        return new Storage(argument(parts, 2, String.class, "a storage's key"), dataType);
    }

    /** A legacy persistent id, which adds a view (always None since PyTorch 0.4); records the storage's type. */
    private static Storage legacyStorage(Object id, Map<String, DataType> storageTypes) {
        Storage storage = storage(id, 6);
        if (((List<?>) id).get(5) != null) {
            throw new IllegalArgumentException("storage " + storage.key() + " is a view, which this reader does not "
                    + "load (re-save the checkpoint with a current PyTorch)");
        }
        DataType known = storageTypes.putIfAbsent(storage.key(), storage.dataType());
        if (known != null && known != storage.dataType()) {
            throw new IllegalArgumentException("storage " + storage.key() + " holds both " + known + " and "
                    + storage.dataType());
        }
        return storage;
    }

    private static <T> T argument(List<?> arguments, int index, Class<T> type, String what) {
        return cast(index < arguments.size() ? arguments.get(index) : null, type, what);
    }

    private static <T> T cast(Object value, Class<T> type, String what) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(what + " is a " + PickleMachine.typeName(value));
        }
        return type.cast(value);
    }

    /** A tuple of sizes or strides: non-negative ints. */
    private static long[] lengths(Object value, String what) {
        List<?> tuple = cast(value, List.class, what);
        long[] lengths = new long[tuple.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = argument(tuple, i, Long.class, what + " " + i);
            if (lengths[i] < 0) {
                throw new IllegalArgumentException(what + " " + i + " is negative");
            }
        }
        return lengths;
    }

    private static IOException bigEndian(Path path) {
        return new IOException(path + " holds big-endian tensors, which this reader does not load");
    }

    private static IOException corrupt(Path path, String what) {
        return new IOException(path + " is not a valid PyTorch checkpoint: " + what);
    }

    /** The storages of a zip checkpoint, one entry each. */
    private record ZipStorages(ZipFile zip, String folder, Path path) implements StorageBytes {
        @Override
        public long length(String key) throws IOException {
            return entry(key).getSize();
        }

        @Override
        public void read(String key, long from, ByteBuffer into) throws IOException {
            try (InputStream in = zip.getInputStream(entry(key))) {
                in.skipNBytes(from);
                ReadableByteChannel channel = Channels.newChannel(in);
                while (into.hasRemaining()) {
                    if (channel.read(into) < 0) {
                        throw new EOFException();
                    }
                }
            } catch (EOFException | ZipException e) {
                throw corrupt(path, "storage " + key + " ends early (truncated or damaged; get the file again)");
            }
        }

        private ZipEntry entry(String key) throws IOException {
            ZipEntry entry = zip.getEntry(folder + key);
            if (entry == null || entry.getSize() < 0) {
                throw corrupt(path, "its zip archive lacks " + folder + key + ", a storage its pickle names");
            }
            return entry;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** The storages of a legacy checkpoint: spans of the file after its pickles. */
    private record LegacyStorages(FileChannel channel, Map<String, Long> starts, Map<String, Long> lengths, Path path)
            implements StorageBytes {
        /** Finds each storage: an 8-byte little-endian element count, then the elements, in the order of keys. */
        static LegacyStorages locate(FileChannel channel, long position, List<?> keys,
                Map<String, DataType> storageTypes, Path path) throws IOException {
            Map<String, Long> starts = new HashMap<>();
            Map<String, Long> lengths = new HashMap<>();
            long fileSize = channel.size();
            long at = position;
            for (Object key : keys) {
                DataType type = storageTypes.get(key);
                if (type == null || fileSize - at < Long.BYTES) {
                    throw corrupt(path, "storage " + key + (type == null ? " is listed but no tensor uses it"
                            : " is missing: the file ends at byte " + fileSize + " (truncated; get it again)"));
                }
                ByteBuffer count = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                TensorBytes.readFully(channel, at, count, path);
                long elements = count.flip().getLong();
                at += Long.BYTES;
                if (elements < 0 || elements > (fileSize - at) / type.getNumOfBytes()) {
                    throw corrupt(path, "storage " + key + " has " + elements + " elements of " + type
                            + " but the file ends at byte " + fileSize + " (truncated or corrupt; get it again)");
                }
                starts.put((String) key, at);
                lengths.put((String) key, elements * type.getNumOfBytes());
                at += elements * type.getNumOfBytes();
            }
            return new LegacyStorages(channel, starts, lengths, path);
        }

        @Override
        public long length(String key) throws IOException {
            Long length = lengths.get(key);
            if (length == null) {
                throw corrupt(path, "storage " + key + " is not among those the file lists");
            }
            return length;
        }

        @Override
        public void read(String key, long from, ByteBuffer into) throws IOException {
            TensorBytes.readFully(channel, starts.get(key) + from, into, path);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
