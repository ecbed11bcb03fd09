package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Arithmetic of an array with a Java number, safe in a computation whose gradient is taken. DJL's own overloads
 * ({@code NDArray.mul(Number)}, {@code div(Number)}, {@code maximum(Number)}) wrap the number in a CPU tensor over a
 * direct buffer without copying (PyTorch's {@code from_blob}) and close that tensor right after the operation, which
 * drops the last reference to the buffer; but the backward pass of a product, a quotient or a maximum reads the scalar
 * that autograd saved, by then possibly freed by the garbage collector (a gradient of 1e25, training that diverges at
 * random under GC pressure). Here the number is copied into memory that PyTorch owns and reference-counts, so the
 * saved scalar lives as long as the graph. Same dtype as DJL's overloads, so the results are bit-identical.
 */
public final class Scalars {
    private Scalars() {
    }

    /** {@code value} as a scalar array of {@code manager}, in memory PyTorch owns. */
    public static NDArray of(NDManager manager, Number value) {
        try (NDArray overJavaBuffer = manager.create(value)) {
            return overJavaBuffer.duplicate();
        }
    }

    /** {@code array · factor}. */
    public static NDArray mul(NDArray array, Number factor) {
        try (NDArray scalar = of(array.getManager(), factor)) {
            return array.mul(scalar);
        }
    }

    /** {@code array / divisor}. */
    public static NDArray div(NDArray array, Number divisor) {
        try (NDArray scalar = of(array.getManager(), divisor)) {
            return array.div(scalar);
        }
    }

    /** {@code max(array, floor)}, element-wise. */
    public static NDArray maximum(NDArray array, Number floor) {
        try (NDArray scalar = of(array.getManager(), floor)) {
            return array.maximum(scalar);
        }
    }
}
