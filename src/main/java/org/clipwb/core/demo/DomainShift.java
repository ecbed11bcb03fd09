package org.clipwb.core.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.SplittableRandom;

/**
 * A target domain that differs from the pretraining renders: clutter on the backdrop (curves and blobs in random
 * colours, never seen in pretraining), reduced contrast, blur and sensor-like noise. Sizes are fractions of the image
 * side, so a shift means the same at every resolution.
 *
 * @param clutter    0 for none, 1 for about a dozen strokes and blobs behind the objects
 * @param contrast   1 keeps the contrast, 0.4 pulls every pixel 60% of the way to the image's mean
 * @param blur       standard deviation of the Gaussian blur, as a fraction of the image side
 * @param noise      standard deviation of the added Gaussian noise, in 0–255 units
 */
public record DomainShift(double clutter, double contrast, double blur, double noise) {
    /** No shift: the pretraining style. */
    public static final DomainShift NONE = new DomainShift(0, 1, 0, 0);

    public DomainShift {
        if (clutter < 0 || contrast <= 0 || contrast > 1 || blur < 0 || noise < 0) {
            throw new IllegalArgumentException("a domain shift needs clutter >= 0, 0 < contrast <= 1, blur >= 0 and "
                    + "noise >= 0");
        }
    }

    /** A shift of every kind at once, scaled by {@code severity} (0: none, 1: strong). */
    public static DomainShift ofSeverity(double severity) {
        return new DomainShift(severity, 1 - 0.6 * severity, 0.012 * severity, 28 * severity);
    }

    /** Draws the clutter on a freshly painted backdrop, before the objects. */
    void drawClutter(Graphics2D g, int size, SplittableRandom random) {
        int strokes = (int) Math.round(12 * clutter);
        for (int i = 0; i < strokes; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 150));
            if (random.nextBoolean()) {
                g.setStroke(new BasicStroke((float) (size * (0.015 + 0.03 * random.nextDouble())),
                        BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new CubicCurve2D.Double(random.nextDouble() * size, random.nextDouble() * size,
                        random.nextDouble() * size, random.nextDouble() * size, random.nextDouble() * size,
                        random.nextDouble() * size, random.nextDouble() * size, random.nextDouble() * size));
            } else {
                double radius = size * (0.04 + 0.08 * random.nextDouble());
                g.fill(new Ellipse2D.Double(random.nextDouble() * size - radius, random.nextDouble() * size - radius,
                        2 * radius * (0.6 + 0.8 * random.nextDouble()), 2 * radius));
            }
        }
    }

    /** Lowers contrast, blurs and adds noise to a finished render. */
    BufferedImage degrade(BufferedImage image, SplittableRandom random) {
        BufferedImage result = image;
        double sigma = blur * image.getWidth();
        if (sigma > 0.3) {
            // Two 1-D passes; ConvolveOp leaves a kernel-wide border unfiltered, which at these radii is a pixel.
            float[] weights = gaussian(sigma);
            result = new ConvolveOp(new Kernel(weights.length, 1, weights), ConvolveOp.EDGE_NO_OP, null)
                    .filter(result, null);
            result = new ConvolveOp(new Kernel(1, weights.length, weights), ConvolveOp.EDGE_NO_OP, null)
                    .filter(result, null);
        }
        int width = result.getWidth();
        int height = result.getHeight();
        int[] pixels = result.getRGB(0, 0, width, height, null, 0, width);
        double[] mean = new double[3];
        for (int pixel : pixels) {
            mean[0] += pixel >> 16 & 0xFF;
            mean[1] += pixel >> 8 & 0xFF;
            mean[2] += pixel & 0xFF;
        }
        for (int c = 0; c < 3; c++) {
            mean[c] /= pixels.length;
        }
        for (int i = 0; i < pixels.length; i++) {
            int rgb = 0;
            for (int c = 0; c < 3; c++) {
                int value = pixels[i] >> (16 - 8 * c) & 0xFF;
                double shifted = mean[c] + contrast * (value - mean[c]) + noise * random.nextGaussian();
                rgb = rgb << 8 | (int) Math.max(0, Math.min(255, Math.round(shifted)));
            }
            pixels[i] = rgb;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, pixels, 0, width);
        return out;
    }

    private static float[] gaussian(double sigma) {
        int radius = (int) Math.ceil(2.5 * sigma);
        float[] weights = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            weights[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += weights[i + radius];
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
        return weights;
    }
}
