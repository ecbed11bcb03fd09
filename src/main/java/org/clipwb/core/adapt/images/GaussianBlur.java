package org.clipwb.core.adapt.images;

/**
 * A separable Gaussian blur of interleaved RGB floats (PIL's {@code ImageFilter.GaussianBlur(radius=σ)}, which
 * MoCo v2 applies): a normalised kernel of radius ⌈3σ⌉, edges extended by their last pixel.
 */
final class GaussianBlur {
    private GaussianBlur() {
    }

    static void apply(float[] rgb, int width, int height, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            double weight = Math.exp(-k * k / (2 * sigma * sigma));
            kernel[k + radius] = (float) weight;
            sum += weight;
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= (float) sum;
        }
        float[] rows = new float[rgb.length];
        pass(rgb, rows, width, height, kernel, radius, true);
        pass(rows, rgb, width, height, kernel, radius, false);
    }

    private static void pass(float[] in, float[] out, int width, int height, float[] kernel, int radius,
            boolean horizontal) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    float total = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int sx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x;
                        int sy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k));
                        total += kernel[k + radius] * in[(sy * width + sx) * 3 + c];
                    }
                    out[(y * width + x) * 3 + c] = total;
                }
            }
        }
    }
}
