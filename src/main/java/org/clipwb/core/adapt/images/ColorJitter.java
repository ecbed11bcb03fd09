package org.clipwb.core.adapt.images;

import java.util.SplittableRandom;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)} on float RGB pixels in [0, 255]: the four
 * adjustments in a random order, each with a factor drawn uniformly from {@code [1 − s, 1 + s]} (hue: a shift in
 * {@code [−hue, hue]} turns), clipped to [0, 255] after each, as PIL's enhancers do. Brightness blends with black,
 * contrast with the mean grey level, saturation with each pixel's grey level (ITU-R 601 luma, PIL's "L").
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue) {
    /** MoCo v2's jitter (methods.md §1.8): 0.4, 0.4, 0.4, 0.1. */
    public static final ColorJitter MOCO_V2 = new ColorJitter(0.4, 0.4, 0.4, 0.1);

    /** Adjusts interleaved RGB values in place. */
    public void apply(float[] rgb, SplittableRandom random) {
        int[] order = {0, 1, 2, 3};
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        double brightnessFactor = factor(brightness, random);
        double contrastFactor = factor(contrast, random);
        double saturationFactor = factor(saturation, random);
        double hueShift = (2 * random.nextDouble() - 1) * hue;
        for (int step : order) {
            switch (step) {
                case 0 -> blend(rgb, brightnessFactor, pixel -> 0);
                case 1 -> {
                    double mean = meanGrey(rgb);
                    blend(rgb, contrastFactor, pixel -> mean);
                }
                case 2 -> blend(rgb, saturationFactor, pixel -> grey(rgb, pixel));
                default -> shiftHue(rgb, hueShift);
            }
        }
    }

    private static double factor(double strength, SplittableRandom random) {
        double low = Math.max(0, 1 - strength);
        return low + (1 + strength - low) * random.nextDouble();
    }

    private interface Degenerate {
        double of(int pixel);
    }

    /** {@code degenerate + factor · (x − degenerate)}, clipped: PIL's {@code ImageEnhance} blend. */
    private static void blend(float[] rgb, double factor, Degenerate degenerate) {
        for (int pixel = 0; pixel < rgb.length / 3; pixel++) {
            double base = degenerate.of(pixel);
            for (int c = 0; c < 3; c++) {
                int i = pixel * 3 + c;
                rgb[i] = clip(base + factor * (rgb[i] - base));
            }
        }
    }

    static double grey(float[] rgb, int pixel) {
        return 0.299 * rgb[pixel * 3] + 0.587 * rgb[pixel * 3 + 1] + 0.114 * rgb[pixel * 3 + 2];
    }

    private static double meanGrey(float[] rgb) {
        double sum = 0;
        for (int pixel = 0; pixel < rgb.length / 3; pixel++) {
            sum += grey(rgb, pixel);
        }
        return sum / (rgb.length / 3);
    }

    /** Rotates every pixel's hue by {@code shift} turns through HSV. */
    private static void shiftHue(float[] rgb, double shift) {
        for (int i = 0; i < rgb.length; i += 3) {
            double r = rgb[i] / 255.0;
            double g = rgb[i + 1] / 255.0;
            double b = rgb[i + 2] / 255.0;
            double max = Math.max(r, Math.max(g, b));
            double min = Math.min(r, Math.min(g, b));
            double delta = max - min;
            if (delta == 0) {
                continue; // grey: no hue to turn
            }
            double h = max == r ? (g - b) / delta : max == g ? 2 + (b - r) / delta : 4 + (r - g) / delta;
            h = h / 6 + shift;
            h -= Math.floor(h);
            double s = delta / max;
            double sector = h * 6;
            int k = (int) Math.floor(sector) % 6;
            double f = sector - Math.floor(sector);
            double p = max * (1 - s);
            double q = max * (1 - s * f);
            double t = max * (1 - s * (1 - f));
            double[] out = switch (k) {
                case 0 -> new double[] {max, t, p};
                case 1 -> new double[] {q, max, p};
                case 2 -> new double[] {p, max, t};
                case 3 -> new double[] {p, q, max};
                case 4 -> new double[] {t, p, max};
                default -> new double[] {max, p, q};
            };
            for (int c = 0; c < 3; c++) {
                rgb[i + c] = clip(out[c] * 255);
            }
        }
    }

    static float clip(double value) {
        return (float) Math.min(255, Math.max(0, value));
    }
}
