package org.clipwb.core.adapt.images;

import java.util.SplittableRandom;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.RgbImage;

/**
 * A training augmentation: a random resized crop at the model's input size, then optionally colour jitter,
 * greyscale and Gaussian blur, each with its probability, and a horizontal flip, then the model's normalisation.
 * Two recipes are named in the spec: {@link #crops} (CoOp's {@code random_resized_crop, random_flip}, §1.3; DeFT's
 * crop-and-flip, §4.3) and {@link #mocoV2} (MoCo v2's {@code --aug-plus}, §1.8).
 *
 * @param jitter the colour jitter, null when {@code jitterProbability} is 0
 * @param blurSigmaMin the smallest blur σ in pixels of a 224-px input; scaled to the model's input size
 * @param blurSigmaMax the largest, likewise
 */
public record Augmentation(ClipPreprocessor preprocessor, RandomResizedCrop crop, double jitterProbability,
        ColorJitter jitter, double grayscaleProbability, double blurProbability, double blurSigmaMin,
        double blurSigmaMax, boolean flip) implements ImageTransform {
    /** The input size MoCo v2's blur radii were chosen for. */
    private static final double MOCO_INPUT_SIZE = 224;

    /** Random resized crops of {@code [scaleMin, scaleMax]} of the area and, when {@code flip}, horizontal flips. */
    public static Augmentation crops(ClipPreprocessor preprocessor, double scaleMin, double scaleMax, boolean flip) {
        return new Augmentation(preprocessor, RandomResizedCrop.ofScale(scaleMin, scaleMax), 0, null, 0, 0, 0, 0,
                flip);
    }

    /**
     * MoCo v2's view: crop of 20–100% of the area, colour jitter (0.4, 0.4, 0.4, 0.1) with probability 0.8,
     * greyscale with 0.2, Gaussian blur σ ∈ [0.1, 2] with 0.5, horizontal flip (methods.md §1.8).
     */
    public static Augmentation mocoV2(ClipPreprocessor preprocessor) {
        return new Augmentation(preprocessor, RandomResizedCrop.ofScale(0.2, 1), 0.8, ColorJitter.MOCO_V2, 0.2, 0.5,
                0.1, 2.0, true);
    }

    @Override
    public void write(RgbImage image, SplittableRandom random, float[] dst, int offset) {
        int width = preprocessor.config().cropWidth();
        int height = preprocessor.config().cropHeight();
        RgbImage view = crop.apply(image, random, width, height);
        boolean jittered = draw(random, jitterProbability);
        boolean grey = draw(random, grayscaleProbability);
        boolean blurred = draw(random, blurProbability);
        if (jittered || grey || blurred) {
            float[] pixels = floats(view.rgb());
            if (jittered) {
                jitter.apply(pixels, random);
            }
            if (grey) {
                toGrey(pixels);
            }
            if (blurred) {
                // [INFERRED] σ scaled with the input size, so that a 64-px model sees MoCo's blur of a 224-px image.
                double sigma = (blurSigmaMin + (blurSigmaMax - blurSigmaMin) * random.nextDouble()) * width
                        / MOCO_INPUT_SIZE;
                GaussianBlur.apply(pixels, width, height, sigma);
            }
            view = new RgbImage(width, height, bytes(pixels));
        }
        if (flip && random.nextBoolean()) {
            view = mirrored(view);
        }
        preprocessor.normalize(view, dst, offset);
    }

    private static boolean draw(SplittableRandom random, double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    private static void toGrey(float[] rgb) {
        for (int pixel = 0; pixel < rgb.length / 3; pixel++) {
            float grey = (float) ColorJitter.grey(rgb, pixel);
            rgb[pixel * 3] = grey;
            rgb[pixel * 3 + 1] = grey;
            rgb[pixel * 3 + 2] = grey;
        }
    }

    private static RgbImage mirrored(RgbImage image) {
        int width = image.width();
        byte[] in = image.rgb();
        byte[] out = new byte[in.length];
        for (int y = 0; y < image.height(); y++) {
            int row = y * width * 3;
            for (int x = 0; x < width; x++) {
                System.arraycopy(in, row + x * 3, out, row + (width - 1 - x) * 3, 3);
            }
        }
        return new RgbImage(width, image.height(), out);
    }

    private static float[] floats(byte[] rgb) {
        float[] out = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = rgb[i] & 0xff;
        }
        return out;
    }

    private static byte[] bytes(float[] rgb) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = (byte) Math.round(ColorJitter.clip(rgb[i]));
        }
        return out;
    }
}
