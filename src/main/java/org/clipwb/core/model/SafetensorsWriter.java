package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;
import org.clipwb.core.util.AtomicFiles;

/** Writes tensors as a safetensors file (little-endian, header padded to 8 bytes), atomically. */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} in iteration order with an optional {@code __metadata__} map. */
    public static void write(Path target, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            NDArray array = entry.getValue();
            long bytes = array.size() * array.getDataType().getNumOfBytes();
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", array.getDataType().asSafetensors());
            ArrayNode shape = node.putArray("shape");
            for (long dim : array.getShape().getShape()) {
                shape.add(dim);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerJson = json.writeValueAsBytes(header); // UTF-8, as the format requires
        int padded = (headerJson.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(headerJson, 0, headerBytes, 0, headerJson.length);
        java.util.Arrays.fill(headerBytes, headerJson.length, padded, (byte) ' ');
        AtomicFiles.write(target, out -> {
            WritableByteChannel channel = Channels.newChannel(out);
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            length.flip();
            channel.write(length);
            channel.write(ByteBuffer.wrap(headerBytes));
            for (NDArray array : tensors.values()) {
                ByteBuffer data = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
        });
    }
}
