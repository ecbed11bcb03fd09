package org.clipwb.core.image;

import java.util.Arrays;

/**
 * Pillow's antialiased bicubic resize ({@code Image.resize(size, Image.BICUBIC)}) for 8-bit RGB, ported from Pillow's
 * {@code libImaging/Resample.c} so that resized pixels are bit-identical to the Python reference. Hand-written because
 * neither the JDK (no antialiasing when downscaling) nor DJL ({@code NDImageUtils.resize} calls torch interpolate
 * without antialias) offers Pillow's filter.
 *
 * <p>As in Pillow: the bicubic kernel with a = -0.5 has its support widened by the downscale factor; each output pixel's
 * weights are normalised, converted to fixed point with 22 fractional bits, and applied horizontally first, then
 * vertically, rounding and clipping to 0..255 after each pass. A pass whose size does not change is skipped.
 *
 * <p>{@link #resizeWindow} computes only a rectangle of the resized image (the center crop of CLIP preprocessing),
 * with exactly the pixels a full resize followed by a crop would give.
 */
public final class PillowResampler {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);
    private static final double BICUBIC_SUPPORT = 2.0;

    private PillowResampler() {
    }

    /** Resizes {@code source} to {@code width} x {@code height}. */
    public static RgbImage resize(RgbImage source, int width, int height) {
        return resizeWindow(source, width, height, 0, 0, width, height);
    }

    /**
     * The {@code windowWidth} x {@code windowHeight} rectangle at ({@code left}, {@code top}) of {@code source} resized
     * to {@code width} x {@code height}, computing only that rectangle.
     *
     * @throws IllegalArgumentException if a size is not positive or the window is not inside the resized image
     */
    public static RgbImage resizeWindow(RgbImage source, int width, int height, int left, int top, int windowWidth,
            int windowHeight) {
        if (width <= 0 || height <= 0 || windowWidth <= 0 || windowHeight <= 0 || left < 0 || top < 0
                || left + windowWidth > width || top + windowHeight > height) {
            throw new IllegalArgumentException("Window " + windowWidth + "x" + windowHeight + " at (" + left + ", " + top
                    + ") is not inside a " + width + "x" + height + " resize");
        }
        boolean horizontal = width != source.width();
        boolean vertical = height != source.height();
        if (!vertical) {
            // Rows map one to one: resample only the window's rows (or copy them when neither size changes).
            return horizontal
                    ? horizontalPass(source, taps(source.width(), width, left, windowWidth), top, windowHeight)
                    : source.crop(left, top, windowWidth, windowHeight);
        }
        Taps rows = taps(source.height(), height, top, windowHeight);
        int firstRow = rows.first[0];
        int lastRow = rows.first[windowHeight - 1] + rows.count[windowHeight - 1];
        if (!horizontal) {
            return verticalPass(source.rgb(), source.width(), left, 0, rows, windowWidth);
        }
        RgbImage band = horizontalPass(source, taps(source.width(), width, left, windowWidth), firstRow, lastRow - firstRow);
        return verticalPass(band.rgb(), windowWidth, 0, firstRow, rows, windowWidth);
    }

    /**
     * Shrinks {@code source} so that its longer side is {@code maxSide} (aspect ratio kept, rounded), for thumbnails;
     * returns {@code source} itself when it already fits.
     */
    public static RgbImage resizeToFit(RgbImage source, int maxSide) {
        if (maxSide <= 0) {
            throw new IllegalArgumentException("maxSide must be positive, got " + maxSide);
        }
        int longSide = Math.max(source.width(), source.height());
        if (longSide <= maxSide) {
            return source;
        }
        int width = (int) Math.max(1, Math.round((double) source.width() * maxSide / longSide));
        int height = (int) Math.max(1, Math.round((double) source.height() * maxSide / longSide));
        return resize(source, width, height);
    }

    /** Per output pixel: the first input pixel, how many inputs it reads, and their fixed-point weights. */
    private static final class Taps {
        final int[] first;
        final int[] count;
        final int[] weights;
        final int stride;

        Taps(int outputs, int stride) {
            this.first = new int[outputs];
            this.count = new int[outputs];
            this.weights = new int[outputs * stride];
            this.stride = stride;
        }
    }

    /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for outputs {@code from .. from+n-1} of {@code outSize}. */
    private static Taps taps(int inSize, int outSize, int from, int n) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = BICUBIC_SUPPORT * filterScale;
        double inverseFilterScale = 1.0 / filterScale; // multiplied, not divided: Pillow's rounding
        Taps taps = new Taps(n, (int) Math.ceil(support) * 2 + 1);
        double[] w = new double[taps.stride];
        for (int i = 0; i < n; i++) {
            double center = (from + i + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int count = Math.min((int) (center + support + 0.5), inSize) - min;
            double sum = 0.0;
            for (int x = 0; x < count; x++) {
                w[x] = bicubic((x + min - center + 0.5) * inverseFilterScale);
                sum += w[x];
            }
            for (int x = 0; x < count; x++) {
                double k = sum != 0.0 ? w[x] / sum : w[x];
                taps.weights[i * taps.stride + x] = (int) (k < 0 ? -0.5 + k * (1 << PRECISION_BITS) : 0.5 + k * (1 << PRECISION_BITS));
            }
            taps.first[i] = min;
            taps.count[i] = count;
        }
        return taps;
    }

    private static double bicubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private static byte clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Resamples rows {@code firstRow .. firstRow+rowCount-1} of {@code source} horizontally with {@code columns}. */
    private static RgbImage horizontalPass(RgbImage source, Taps columns, int firstRow, int rowCount) {
        byte[] in = source.rgb();
        int outWidth = columns.first.length;
        byte[] out = new byte[outWidth * rowCount * 3];
        int o = 0;
        for (int y = 0; y < rowCount; y++) {
            int rowStart = (firstRow + y) * source.width() * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                int p = rowStart + columns.first[xx] * 3;
                int k = xx * columns.stride;
                for (int end = k + columns.count[xx]; k < end; k++, p += 3) {
                    int weight = columns.weights[k];
                    r += (in[p] & 0xff) * weight;
                    g += (in[p + 1] & 0xff) * weight;
                    b += (in[p + 2] & 0xff) * weight;
                }
                out[o++] = clip8(r);
                out[o++] = clip8(g);
                out[o++] = clip8(b);
            }
        }
        return new RgbImage(outWidth, rowCount, out);
    }

    /**
     * Resamples vertically: output row i reads input rows {@code rows.first[i] - rowOffset ...} of {@code in} (an image
     * {@code inWidth} pixels wide), columns {@code left .. left+width-1}. Weighted rows are summed a whole row at a time,
     * which gives Pillow's integer sums exactly (integer addition does not depend on the order).
     */
    private static RgbImage verticalPass(byte[] in, int inWidth, int left, int rowOffset, Taps rows, int width) {
        int outHeight = rows.first.length;
        int rowLength = width * 3;
        byte[] out = new byte[rowLength * outHeight];
        int[] sums = new int[rowLength];
        for (int yy = 0; yy < outHeight; yy++) {
            Arrays.fill(sums, HALF);
            int k = yy * rows.stride;
            for (int y = 0; y < rows.count[yy]; y++, k++) {
                int weight = rows.weights[k];
                int p = ((rows.first[yy] - rowOffset + y) * inWidth + left) * 3;
                for (int j = 0; j < rowLength; j++) {
                    sums[j] += (in[p + j] & 0xff) * weight;
                }
            }
            for (int j = 0, o = yy * rowLength; j < rowLength; j++) {
                out[o + j] = clip8(sums[j]);
            }
        }
        return new RgbImage(width, outHeight, out);
    }
}
