package org.clipwb.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PillowResamplerTest {
    /** A grey image from one row of levels (every row the same). */
    private static RgbImage greyRows(int height, int... levels) {
        byte[] rgb = new byte[levels.length * height * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) levels[i / 3 % levels.length];
        }
        return new RgbImage(levels.length, height, rgb);
    }

    private static int[] firstRowGrey(RgbImage image) {
        int[] levels = new int[image.width()];
        for (int x = 0; x < levels.length; x++) {
            levels[x] = image.rgb()[x * 3] & 0xff;
        }
        return levels;
    }

    /**
     * 4 -> 2 pixels, scale 2, so the kernel is stretched to support 4. Output 0 has center 1.0 and reads inputs 0..3 at
     * distances -0.25, 0.25, 0.75, 1.25 (in kernel units): weights 0.8671875, 0.8671875, 0.2265625, -0.0703125, sum
     * 1.890625; 10, 20, 30, 40 give 15.87 -> 16. Output 1 (center 3.0) is the mirror image: 34.13 -> 34. Pillow agrees.
     */
    @Test
    void handCheckedDownscale() {
        RgbImage out = PillowResampler.resize(greyRows(1, 10, 20, 30, 40), 2, 1);
        assertArrayEquals(new int[] {16, 34}, firstRowGrey(out));
        assertArrayEquals(new byte[] {16, 16, 16, 34, 34, 34}, out.rgb());
    }

    /**
     * Upscaling a step 0, 0, 255, 255 to 8 pixels: bicubic overshoots below 0 and above 255, which is clipped. Output 3
     * (center 1.75) reads inputs 0..3 with weights -0.0703125, 0.8671875, 0.2265625, -0.0234375 (sum 1), so 255 x
     * 0.203125 = 51.8 -> 52. Pillow gives 0 0 0 52 203 255 255 255.
     */
    @Test
    void handCheckedUpscaleClipsOvershoot() {
        RgbImage out = PillowResampler.resize(greyRows(3, 0, 0, 255, 255), 8, 3);
        assertArrayEquals(new int[] {0, 0, 0, 52, 203, 255, 255, 255}, firstRowGrey(out));
    }

    @Test
    void unchangedSizeIsAnExactCopy() {
        RgbImage source = random(23, 17, 1);
        RgbImage out = PillowResampler.resize(source, 23, 17);
        assertArrayEquals(source.rgb(), out.rgb());
    }

    /** Computing only a window must give exactly the pixels of a full resize followed by a crop. */
    @Test
    void windowEqualsFullResizeThenCrop() {
        Random random = new Random(11);
        int[][] sizes = {{64, 48, 43, 32}, {48, 64, 20, 27}, {9, 13, 32, 46}, {50, 40, 50, 17}, {33, 60, 12, 60}, {30, 30, 77, 29},
            {640, 480, 299, 224}};
        for (int[] s : sizes) {
            RgbImage source = random(s[0], s[1], random.nextLong());
            RgbImage full = PillowResampler.resize(source, s[2], s[3]);
            for (int trial = 0; trial < 6; trial++) {
                int width = 1 + random.nextInt(s[2]);
                int height = 1 + random.nextInt(s[3]);
                int left = random.nextInt(s[2] - width + 1);
                int top = random.nextInt(s[3] - height + 1);
                RgbImage window = PillowResampler.resizeWindow(source, s[2], s[3], left, top, width, height);
                assertArrayEquals(crop(full, left, top, width, height), window.rgb(),
                        s[0] + "x" + s[1] + " -> " + s[2] + "x" + s[3] + ", window " + width + "x" + height + " at " + left + "," + top);
            }
        }
    }

    @Test
    void windowOutsideTheResizeIsRejected() {
        RgbImage source = random(10, 10, 2);
        assertThrows(IllegalArgumentException.class, () -> PillowResampler.resizeWindow(source, 20, 20, 15, 0, 6, 5));
        assertThrows(IllegalArgumentException.class, () -> PillowResampler.resizeWindow(source, 20, 20, -1, 0, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> PillowResampler.resize(source, 0, 5));
    }

    @Test
    void resizeToFitShrinksTheLongSideAndLeavesSmallImagesAlone() {
        RgbImage big = random(640, 480, 3);
        RgbImage thumb = PillowResampler.resizeToFit(big, 100);
        assertEquals(100, thumb.width());
        assertEquals(75, thumb.height());
        RgbImage tall = PillowResampler.resizeToFit(random(30, 700, 4), 64);
        assertEquals(3, tall.width());
        assertEquals(64, tall.height());
        RgbImage small = random(50, 20, 5);
        assertSame(small, PillowResampler.resizeToFit(small, 64));
    }

    static RgbImage random(int width, int height, long seed) {
        byte[] rgb = new byte[width * height * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    private static byte[] crop(RgbImage image, int left, int top, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(image.rgb(), ((top + y) * image.width() + left) * 3, out, y * width * 3, width * 3);
        }
        return out;
    }
}
