package org.clipwb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

/** Small vectors for the engine tests: unit vectors by hand or at random, and element-wise comparisons. */
public final class Vectors {
    private Vectors() {
    }

    /** {@code values} scaled to unit length. */
    public static float[] unit(double... values) {
        double norm = 0;
        for (double v : values) {
            norm += v * v;
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] / Math.sqrt(norm));
        }
        return out;
    }

    /** {@code count} random unit vectors of {@code dim} dimensions (normal directions, so uniform on the sphere). */
    public static float[][] randomUnit(SplittableRandom random, int count, int dim) {
        float[][] points = new float[count][];
        for (int i = 0; i < count; i++) {
            double[] v = new double[dim];
            for (int d = 0; d < dim; d++) {
                double u = Math.max(1e-12, random.nextDouble());
                v[d] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            }
            points[i] = unit(v);
        }
        return points;
    }

    /** The dot product in double precision. */
    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Asserts equal lengths and every element within {@code tolerance}. */
    public static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
        }
    }

    /** {@link #assertClose(double[], float[], double, String)} for float expectations. */
    public static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double[] widened = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            widened[i] = expected[i];
        }
        assertClose(widened, actual, tolerance, what);
    }
}
