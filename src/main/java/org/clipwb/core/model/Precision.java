package org.clipwb.core.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The number format a model computes in. Weights are always read as float32 and then converted; embeddings always
 * come out as float32.
 */
public enum Precision {
    /** float32: the reference's numbers (parity within 1e-4). The default. */
    FP32(DataType.FLOAT32),
    /**
     * float16 weights and activations, as OpenAI's CLIP runs on GPUs. Several times faster on CPUs with AVX-512 FP16
     * or AMX and on GPUs; embeddings differ from float32 by about 1e-3.
     */
    FP16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The DJL data type of weights and activations. */
    public DataType dataType() {
        return dataType;
    }

    /** Parses "fp32" or "fp16" (case-insensitive). */
    public static Precision parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be fp32 or fp16, not \"" + text + "\"", e);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
