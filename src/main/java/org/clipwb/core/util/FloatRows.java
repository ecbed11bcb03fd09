package org.clipwb.core.util;

import java.util.Arrays;

/** Conversions between row-major flat float arrays (as NDArrays give and take them) and arrays of rows. */
public final class FloatRows {
    private FloatRows() {
    }

    /** Splits a flat row-major array into {@code count} rows of equal length. */
    public static float[][] split(float[] flat, int count) {
        if (count == 0) {
            return new float[0][];
        }
        if (flat.length % count != 0) {
            throw new IllegalArgumentException(flat.length + " values do not make " + count + " equal rows");
        }
        int width = flat.length / count;
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    /** Joins rows of equal length into one flat row-major array. */
    public static float[] join(float[][] rows) {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, not " + width);
            }
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }
}
