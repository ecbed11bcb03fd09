package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/** The named tensors of a weights file, whatever its {@link WeightsFormat}: what {@link ClipCheckpoint} loads. */
public interface TensorFile extends Closeable {
    /** What the file says about one tensor. */
    interface Tensor {
        /** The stored number format. */
        DataType dataType();

        /** The tensor's shape. */
        Shape shape();
    }

    /** Opens a weights file in the format its name says ({@link WeightsFormat#of}); tensor data is read lazily. */
    static TensorFile open(Path path) throws IOException {
        return WeightsFormat.of(path) == WeightsFormat.SAFETENSORS ? SafetensorsFile.open(path)
                : TorchPickleFile.open(path);
    }

    /** The file. */
    Path path();

    /** The file's format. */
    WeightsFormat format();

    /** Tensors by name, in the file's order. */
    Map<String, ? extends Tensor> tensors();

    /**
     * A tensor's values as read from the file, in a direct buffer of their own (from {@link TensorBytes#allocate}),
     * not yet handed to the engine: reading needs no engine, so it can run while the engine starts.
     */
    record Values(ByteBuffer data, DataType dataType, Shape shape) {
        /** The values as an NDArray attached to {@code manager}, as {@link TensorFile#read} describes. */
        NDArray toArray(NDManager manager) {
            return TensorBytes.toArray(data, dataType, shape, manager);
        }
    }

    /** Reads a tensor's values. */
    Values readValues(String name) throws IOException;

    /**
     * Reads a tensor into a new NDArray attached to {@code manager}, in its stored data type except bfloat16, which
     * is widened to float32: DJL 0.35.1's PyTorch bridge aborts the whole process on bfloat16 arrays.
     */
    default NDArray read(String name, NDManager manager) throws IOException {
        return readValues(name).toArray(manager);
    }
}
