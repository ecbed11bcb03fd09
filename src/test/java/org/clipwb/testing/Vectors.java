package org.clipwb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

/** Small vectors for the engine tests: unit vectors by hand or at random, and element-wise comparisons. */
public final class Vectors {
    private Vectors() {
    }

    /** {@code values}, as floats, scaled to unit length. */
    public static float[] unit(double... values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return unit(floats);
    }

    /** {@code v} scaled to unit length (the norm taken in double precision). */
    public static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = (float) (v[d] / Math.sqrt(norm));
        }
        return out;
    }

    /** A vector of {@code dim} standard normal values (Box–Muller). */
    public static float[] gaussian(SplittableRandom random, int dim) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            double u = Math.max(1e-12, random.nextDouble());
            v[d] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }

    /** {@code count} random unit vectors of {@code dim} dimensions (normal directions, so uniform on the sphere). */
    public static float[][] randomUnit(SplittableRandom random, int count, int dim) {
        float[][] points = new float[count][];
        for (int i = 0; i < count; i++) {
            points[i] = unit(gaussian(random, dim));
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
