package org.clipwb.core.adapt.images;

import java.util.SplittableRandom;
import org.clipwb.core.image.PillowResampler;
import org.clipwb.core.image.RgbImage;

/**
 * torchvision's {@code RandomResizedCrop}: a rectangle of a random fraction of the image's area (within
 * {@code [scaleMin, scaleMax]}) and a random aspect ratio (log-uniform within {@code [ratioMin, ratioMax]}), found in
 * at most ten tries (else the largest central rectangle of an allowed ratio), resized to the output size with
 * Pillow's antialiased bicubic filter ({@code interpolation=BICUBIC}, as CoOp and Tip-Adapter configure it).
 */
public record RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
    private static final int ATTEMPTS = 10;

    public RandomResizedCrop {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1 && ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("crop scales need 0 < min ≤ max ≤ 1 and ratios 0 < min ≤ max, got scale ["
                    + scaleMin + ", " + scaleMax + "], ratio [" + ratioMin + ", " + ratioMax + "]");
        }
    }

    /** Crops with torchvision's default aspect ratios, 3/4 to 4/3. */
    public static RandomResizedCrop ofScale(double scaleMin, double scaleMax) {
        return new RandomResizedCrop(scaleMin, scaleMax, 3.0 / 4, 4.0 / 3);
    }

    /** A random crop of {@code image} resized to {@code width} x {@code height}. */
    public RgbImage apply(RgbImage image, SplittableRandom random, int width, int height) {
        int[] box = box(image.width(), image.height(), random);
        return PillowResampler.resize(image.crop(box[0], box[1], box[2], box[3]), width, height);
    }

    /** (left, top, width, height) of the crop, by torchvision's {@code get_params}. */
    int[] box(int imageWidth, int imageHeight, SplittableRandom random) {
        double area = (double) imageWidth * imageHeight;
        double logRatioMin = Math.log(ratioMin);
        double logRatioMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * (scaleMin + (scaleMax - scaleMin) * random.nextDouble());
            double ratio = Math.exp(logRatioMin + (logRatioMax - logRatioMin) * random.nextDouble());
            int w = (int) Math.round(Math.sqrt(targetArea * ratio));
            int h = (int) Math.round(Math.sqrt(targetArea / ratio));
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
                return new int[] {random.nextInt(imageWidth - w + 1), random.nextInt(imageHeight - h + 1), w, h};
            }
        }
        double inRatio = (double) imageWidth / imageHeight;
        int w = imageWidth;
        int h = imageHeight;
        if (inRatio < ratioMin) {
            h = (int) Math.round(w / ratioMin);
        } else if (inRatio > ratioMax) {
            w = (int) Math.round(h * ratioMax);
        }
        return new int[] {(imageWidth - w) / 2, (imageHeight - h) / 2, w, h};
    }
}
