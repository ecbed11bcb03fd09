package org.clipwb.core.image;

/**
 * An 8-bit RGB image stored as one interleaved array (R, G, B for each pixel, rows top to bottom): the one in-memory
 * image type of the core. The array is shared, not copied, so that decoding and preprocessing make no extra copies;
 * treat it as read-only once the image is built.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    /**
     * Wraps {@code rgb} (not copied).
     *
     * @throws IllegalArgumentException if a dimension is not positive or the array is not {@code width * height * 3} long
     */
    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("A " + width + "x" + height + " RGB image needs " + (long) width * height * 3
                    + " bytes, got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** The interleaved RGB bytes, shared with this image (not a copy). */
    public byte[] rgb() {
        return rgb;
    }

    /** The pixel at column {@code x}, row {@code y} as {@code 0xRRGGBB}. */
    public int rgbAt(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("Pixel (" + x + ", " + y + ") is outside a " + width + "x" + height + " image");
        }
        int i = (y * width + x) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }

    /**
     * The {@code width} x {@code height} rectangle whose top left corner is ({@code left}, {@code top}), as a new image.
     *
     * @throws IllegalArgumentException if the rectangle is empty or not inside this image
     */
    public RgbImage crop(int left, int top, int width, int height) {
        if (width <= 0 || height <= 0 || left < 0 || top < 0 || left + width > this.width || top + height > this.height) {
            throw new IllegalArgumentException("Crop " + width + "x" + height + " at (" + left + ", " + top
                    + ") is not inside a " + this.width + "x" + this.height + " image");
        }
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgb, ((top + y) * this.width + left) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
