package org.clipwb.core.model;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file opened for random access to its tensors.
 *
 * <p>Written by hand rather than with DJL's {@code NDList.decode} because that decoder reads the whole stream into
 * memory (real checkpoints are up to 1.7 GB) and hands unchecked offsets to native code: here the header is validated
 * against the file size before any tensor is read, so a truncated or corrupt file is a clear {@link IOException}
 * naming the file and the tensor, never a crash.
 */
public final class SafetensorsFile implements TensorFile {
    /** Headers of real checkpoints are a few hundred KB; anything far larger is corrupt. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    /** Where one tensor lives in the file. */
    public record TensorInfo(String name, DataType dataType, Shape shape, long begin, long end)
            implements TensorFile.Tensor {
        /** Number of bytes of the tensor's data. */
        public long byteSize() {
            return end - begin;
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a safetensors file; the tensor data is read lazily. */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new IOException(path + " is not a safetensors file: it has only " + fileSize
                        + " bytes (truncated or empty; delete it and download or copy it again)");
            }
            ByteBuffer lengthBytes = readFully(channel, 0, 8, path).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes.getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
                throw new IOException(path + " is not a valid safetensors file: header length " + headerLength
                        + " does not fit in a file of " + fileSize + " bytes (truncated or corrupt)");
            }
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength, path);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(StandardCharsets.UTF_8.decode(headerBytes).toString().trim());
            } catch (JsonProcessingException e) {
                throw new IOException(path + " has a corrupt safetensors header (not JSON): " + e.getOriginalMessage(),
                        e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(path + " has a corrupt safetensors header: expected a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataSize = fileSize - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().equals("__metadata__")) {
                    entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    tensors.put(entry.getKey(), parseTensor(path, entry.getKey(), entry.getValue(), dataSize));
                }
            }
            return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static TensorInfo parseTensor(Path path, String name, JsonNode node, long dataSize) throws IOException {
        String where = path + ", tensor \"" + name + "\"";
        JsonNode offsets = node.path("data_offsets");
        JsonNode shapeNode = node.path("shape");
        if (!node.path("dtype").isTextual() || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(where + ": header entry needs dtype, shape and data_offsets [begin, end]");
        }
        DataType dataType;
        try {
            dataType = DataType.fromSafetensors(node.get("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": unsupported dtype " + node.get("dtype").asText(), e);
        }
        long[] dims = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong(-1);
            if (dims[i] < 0) {
                throw new IOException(where + ": invalid shape " + shapeNode);
            }
            elements = Math.multiplyExact(elements, dims[i]);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw new IOException(where + ": invalid data_offsets " + offsets);
        }
        if (end > dataSize) {
            throw new IOException(path + " is truncated: tensor \"" + name + "\" needs data up to byte " + end
                    + " but the data section has only " + dataSize + " bytes (delete the file and get it again)");
        }
        if (end - begin != elements * dataType.getNumOfBytes()) {
            throw new IOException(where + ": " + (end - begin) + " bytes of data do not match shape " + shapeNode
                    + " of " + node.get("dtype").asText());
        }
        return new TensorInfo(name, dataType, new Shape(dims), begin, end);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public WeightsFormat format() {
        return WeightsFormat.SAFETENSORS;
    }

    /** Tensors by name, in header order. */
    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The optional {@code __metadata__} string map. */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Values readValues(String name) throws IOException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IOException(path + " has no tensor \"" + name + "\"");
        }
        ByteBuffer data = TensorBytes.allocate(path, name, info.shape().size(), info.dataType());
        TensorBytes.readFully(channel, dataStart + info.begin(), data, path);
        data.flip();
        return new Values(data, info.dataType(), info.shape());
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path path)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        TensorBytes.readFully(channel, position, buffer, path);
        buffer.flip();
        return buffer;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
