package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reading the raw little-endian bytes of stored tensors and turning them into NDArrays, for the weights readers. */
final class TensorBytes {
    private TensorBytes() {
    }

    /**
     * A fresh direct buffer for the {@code elements} values of tensor {@code name}, not a slice of a memory map: the
     * array may be trained in place, and writing into a read-only mapping would crash the JVM.
     */
    static ByteBuffer allocate(Path path, String name, long elements, DataType dataType) throws IOException {
        // bfloat16 arrays are widened to float32: twice the bytes.
        int arrayElementBytes = dataType == DataType.BFLOAT16 ? Float.BYTES : dataType.getNumOfBytes();
        if (elements > Integer.MAX_VALUE / arrayElementBytes) {
            throw new IOException(path + ", tensor \"" + name + "\" is too large (" + elements + " values of "
                    + dataType + ")");
        }
        return ByteBuffer.allocateDirect((int) elements * dataType.getNumOfBytes()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An array of {@code data} (from {@link #allocate}, flipped), bfloat16 widened to float32 as TensorFile says. */
    static NDArray toArray(ByteBuffer data, DataType dataType, Shape shape, NDManager manager) {
        if (dataType == DataType.BFLOAT16) {
            return manager.create(widenBfloat16(data), shape, DataType.FLOAT32);
        }
        return manager.create(data, shape, dataType);
    }

    /** bfloat16 is the upper half of a float32: shifting each value into the high 16 bits is exact. */
    private static ByteBuffer widenBfloat16(ByteBuffer halves) {
        ShortBuffer in = halves.asShortBuffer();
        ByteBuffer floats = ByteBuffer.allocateDirect(in.remaining() * Float.BYTES).order(ByteOrder.nativeOrder());
        IntBuffer out = floats.asIntBuffer();
        while (in.hasRemaining()) {
            out.put((in.get() & 0xFFFF) << 16);
        }
        return floats;
    }

    /** Fills {@code buffer} from the file at {@code position}; a file that ends first is a clear error. */
    static void readFully(FileChannel channel, long position, ByteBuffer buffer, Path path) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException(path + " ended early at byte " + at + " (truncated; get the file again)");
            }
            at += read;
        }
    }
}
