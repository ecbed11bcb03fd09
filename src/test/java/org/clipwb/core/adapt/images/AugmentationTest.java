package org.clipwb.core.adapt.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final ClipPreprocessor PREPROCESSOR = new ClipPreprocessor(PreprocessConfig.openAiDefaults(32));

    private static RgbImage image(int width, int height, long seed) {
        byte[] rgb = new byte[width * height * 3];
        new SplittableRandom(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    @Test
    void randomResizedCropsStayInsideTheImageWithinTheScaleRange() {
        RandomResizedCrop crop = RandomResizedCrop.ofScale(0.3, 0.8);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            int[] box = crop.box(120, 80, random);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 120 && box[1] + box[3] <= 80,
                    Arrays.toString(box));
            double fraction = (double) box[2] * box[3] / (120 * 80);
            assertTrue(fraction > 0.28 && fraction < 0.83, "area fraction " + fraction);
            double ratio = (double) box[2] / box[3];
            assertTrue(ratio > 0.7 && ratio < 1.4, "aspect ratio " + ratio);
        }
        assertArrayEquals(crop.box(120, 80, new SplittableRandom(9)), crop.box(120, 80, new SplittableRandom(9)));
    }

    @Test
    void theWholeImageCropIsTheModelsOwnPreprocessingAndFlipsMirrorIt() {
        RgbImage image = image(40, 40, 1);
        float[] expected = PREPROCESSOR.toTensor(image);
        Augmentation whole = new Augmentation(PREPROCESSOR, new RandomResizedCrop(1, 1, 1, 1), 0, null, 0, 0, 0, 0,
                false);
        float[] out = new float[PREPROCESSOR.tensorLength()];
        whole.write(image, new SplittableRandom(3), out, 0);
        assertArrayEquals(expected, out);

        Augmentation flipping = new Augmentation(PREPROCESSOR, new RandomResizedCrop(1, 1, 1, 1), 0, null, 0, 0, 0, 0,
                true);
        float[] mirrored = mirror(expected, 32);
        int plain = 0;
        int flipped = 0;
        for (long seed = 0; seed < 20; seed++) {
            flipping.write(image, new SplittableRandom(seed), out, 0);
            plain += Arrays.equals(out, expected) ? 1 : 0;
            flipped += Arrays.equals(out, mirrored) ? 1 : 0;
        }
        assertEquals(20, plain + flipped);
        assertTrue(plain > 3 && flipped > 3, plain + " plain, " + flipped + " flipped");
    }

    @Test
    void mocoViewsAreSeededAndGreyscaleMakesTheChannelsEqual() {
        RgbImage image = image(48, 40, 2);
        Augmentation moco = Augmentation.mocoV2(PREPROCESSOR);
        float[] a = new float[PREPROCESSOR.tensorLength()];
        float[] b = new float[PREPROCESSOR.tensorLength()];
        moco.write(image, new SplittableRandom(11), a, 0);
        moco.write(image, new SplittableRandom(11), b, 0);
        assertArrayEquals(a, b, "the same seed gives the same view");
        moco.write(image, new SplittableRandom(12), b, 0);
        assertFalse(Arrays.equals(a, b), "another seed another view");

        Augmentation grey = new Augmentation(PREPROCESSOR, new RandomResizedCrop(1, 1, 1, 1), 0, null, 1, 0, 0, 0,
                false);
        grey.write(image, new SplittableRandom(1), a, 0);
        float[] mean = PREPROCESSOR.config().mean();
        float[] std = PREPROCESSOR.config().std();
        int plane = 32 * 32;
        for (int i = 0; i < plane; i++) {
            float red = a[i] * std[0] + mean[0];
            assertEquals(red, a[plane + i] * std[1] + mean[1], 1e-5, "green = red at " + i);
            assertEquals(red, a[2 * plane + i] * std[2] + mean[2], 1e-5, "blue = red at " + i);
        }
    }

    @Test
    void jitterOfStrengthZeroAndBlurOfAFlatImageChangeNothing() {
        float[] pixels = new float[4 * 4 * 3];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        float[] jittered = pixels.clone();
        new ColorJitter(0, 0, 0, 0).apply(jittered, new SplittableRandom(1));
        assertArrayEquals(pixels, jittered, 1e-3f);

        float[] flat = new float[5 * 5 * 3];
        Arrays.fill(flat, 77f);
        GaussianBlur.apply(flat, 5, 5, 1.5);
        for (float value : flat) {
            assertEquals(77f, value, 1e-3f);
        }
    }

    private static float[] mirror(float[] chw, int size) {
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    out[c * size * size + y * size + x] = chw[c * size * size + y * size + (size - 1 - x)];
                }
            }
        }
        return out;
    }
}
