package org.clipwb.core.image;

/**
 * CLIP image preprocessing as each checkpoint's own processor does it: bicubic resize (Pillow, antialiased) so the
 * shortest edge becomes {@code shortestEdge}, center crop, {@code /255}, {@code (x - mean) / std}, written as float32
 * CHW. Only the cropped window is resampled (see {@link PillowResampler#resizeWindow}).
 *
 * <p>The rounding rules are those of the reference processors:
 * <ul>
 *   <li>the long edge becomes {@code int(shortestEdge * long / short)}, truncated: Hugging Face's CLIPImageProcessor
 *       and torchvision's Resize (open_clip, OpenAI's CLIP) agree on this; on e.g. 640x480 to 32 both give 42;</li>
 *   <li>the crop offset follows the checkpoint's {@link PreprocessConfig.CropRule}: {@code (size - crop) // 2} in
 *       Hugging Face's processor, {@code round((size - crop) / 2)} (half to even) in torchvision's CenterCrop.</li>
 * </ul>
 * When the image already has the resized size, no resampling happens (Pillow returns a copy then too). Normalisation
 * is done in float32, like torchvision. Immutable and thread-safe.
 */
public final class ClipPreprocessor {
    private final PreprocessConfig config;
    /** (v / 255 - mean) / std for every byte value v, per channel, computed in float32 as the reference does. */
    private final float[][] normalized = new float[3][256];

    /** A preprocessor for {@code config}. */
    public ClipPreprocessor(PreprocessConfig config) {
        this.config = config;
        float[] mean = config.mean();
        float[] std = config.std();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalized[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /** The settings this preprocessor applies. */
    public PreprocessConfig config() {
        return config;
    }

    /** Number of floats one image takes: 3 x crop height x crop width. */
    public int tensorLength() {
        return 3 * config.cropHeight() * config.cropWidth();
    }

    /** Preprocesses {@code image} into a new CHW array of {@link #tensorLength()} floats. */
    public float[] toTensor(RgbImage image) {
        float[] tensor = new float[tensorLength()];
        toTensor(image, tensor, 0);
        return tensor;
    }

    /**
     * Preprocesses {@code image} into {@code dst[offset .. offset + tensorLength() - 1]} as CHW (all red values row by
     * row, then green, then blue), e.g. one slot of a batch buffer. Nothing else in {@code dst} is touched.
     *
     * @throws IndexOutOfBoundsException if the slot does not fit in {@code dst}
     */
    public void toTensor(RgbImage image, float[] dst, int offset) {
        int length = tensorLength();
        if (offset < 0 || offset > dst.length - length) {
            throw new IndexOutOfBoundsException("A " + length + "-float image at offset " + offset + " does not fit in "
                    + dst.length + " floats");
        }
        int[] size = resizedSize(image.width(), image.height(), config.shortestEdge());
        int cropWidth = config.cropWidth();
        int cropHeight = config.cropHeight();
        PreprocessConfig.CropRule rule = config.cropRule();
        normalize(PillowResampler.resizeWindow(image, size[0], size[1], rule.offset(size[0], cropWidth),
                rule.offset(size[1], cropHeight), cropWidth, cropHeight), dst, offset);
    }

    /**
     * Writes an image that already has the crop size (e.g. a training augmentation's output) into
     * {@code dst[offset ..]} as normalised CHW floats, without resampling.
     *
     * @throws IllegalArgumentException if the image is not crop-sized
     */
    public void normalize(RgbImage crop, float[] dst, int offset) {
        int cropWidth = config.cropWidth();
        int cropHeight = config.cropHeight();
        if (crop.width() != cropWidth || crop.height() != cropHeight) {
            throw new IllegalArgumentException("a " + crop.width() + "x" + crop.height() + " image is not the "
                    + cropWidth + "x" + cropHeight + " crop this model takes");
        }
        byte[] rgb = crop.rgb();
        int plane = cropWidth * cropHeight;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            dst[offset + i] = normalized[0][rgb[p] & 0xff];
            dst[offset + plane + i] = normalized[1][rgb[p + 1] & 0xff];
            dst[offset + 2 * plane + i] = normalized[2][rgb[p + 2] & 0xff];
        }
    }

    /**
     * (width, height) after resizing {@code width} x {@code height} so the shorter side is {@code shortestEdge}: the long
     * side is {@code int(shortestEdge * long / short)}, computed in double precision as Python does, then truncated.
     */
    static int[] resizedSize(int width, int height, int shortestEdge) {
        int longEdge = (int) ((double) shortestEdge * Math.max(width, height) / Math.min(width, height));
        return width <= height ? new int[] {shortestEdge, longEdge} : new int[] {longEdge, shortestEdge};
    }
}
