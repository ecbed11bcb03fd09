package org.clipwb.core.image;

/**
 * The colour conversions Pillow applies when it opens a JPEG or converts CMYK to RGB, ported so that decoded pixels
 * match the Python reference exactly: libjpeg's integer YCbCr-to-RGB tables (jdcolor.c) and Pillow's {@code cmyk2rgb}
 * (Convert.c). Hand-written because ImageIO either converts through ICC profiles (TwelveMonkeys) or not at all
 * ({@code readRaster}), and neither is what Pillow does.
 */
final class PilColor {
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_TO_R = new int[256];
    private static final int[] CB_TO_B = new int[256];
    private static final int[] CR_TO_G = new int[256];
    private static final int[] CB_TO_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_TO_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_TO_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_TO_G[i] = -fix(0.71414) * x;
            CB_TO_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private PilColor() {
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** libjpeg's red from luma and Cr. */
    static int yccRed(int y, int cr) {
        return clamp(y + CR_TO_R[cr]);
    }

    /** libjpeg's green from luma, Cb and Cr. */
    static int yccGreen(int y, int cb, int cr) {
        return clamp(y + ((CB_TO_G[cb] + CR_TO_G[cr]) >> SCALE_BITS));
    }

    /** libjpeg's blue from luma and Cb. */
    static int yccBlue(int y, int cb) {
        return clamp(y + CB_TO_B[cb]);
    }

    /**
     * One RGB component from an ink amount and black, as Pillow's {@code cmyk2rgb}: {@code (255 - K) - (255 - K) * ink / 255}
     * with Pillow's rounding ({@code MULDIV255}). Colour management is deliberately absent, as in Pillow.
     */
    static int cmykComponent(int ink, int black) {
        int notBlack = 255 - black;
        int t = ink * notBlack + 128;
        return clamp(notBlack - ((t + (t >> 8)) >> 8));
    }
}
