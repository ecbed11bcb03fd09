package org.clipwb.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;

/**
 * Turns what an ImageIO reader returns into RGB the way Pillow's {@code convert("RGB")} does: alpha dropped without
 * compositing, grey replicated, palette indices looked up (palette transparency ignored), CMYK through Pillow's
 * formula. Embedded colour profiles are ignored, as in Pillow.
 */
final class BufferedImageConverter {
    private BufferedImageConverter() {
    }

    static RgbImage toRgb(BufferedImage image, Path file) throws ImageDecodeException {
        int dataType = image.getRaster().getDataBuffer().getDataType();
        if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
            throw new ImageDecodeException(file, "unsupported pixel format (floating-point samples)");
        }
        ColorModel colorModel = image.getColorModel();
        if (colorModel instanceof IndexColorModel palette) {
            return fromPalette(image, palette);
        }
        SampleRows rows = new SampleRows(image.getRaster());
        int colorSpace = colorModel.getColorSpace().getType();
        int bands = rows.bands();
        if (colorSpace == ColorSpace.TYPE_GRAY && bands >= 1) {
            return convert(image, rows, (row, i, out, o) -> {
                byte grey = (byte) row[i];
                out[o] = grey;
                out[o + 1] = grey;
                out[o + 2] = grey;
            });
        }
        if (colorSpace == ColorSpace.TYPE_RGB && bands >= 3) {
            return convert(image, rows, (row, i, out, o) -> {
                out[o] = (byte) row[i];
                out[o + 1] = (byte) row[i + 1];
                out[o + 2] = (byte) row[i + 2];
            });
        }
        if (colorSpace == ColorSpace.TYPE_CMYK && bands >= 4) {
            return convert(image, rows, (row, i, out, o) -> {
                out[o] = (byte) PilColor.cmykComponent(row[i], row[i + 3]);
                out[o + 1] = (byte) PilColor.cmykComponent(row[i + 1], row[i + 3]);
                out[o + 2] = (byte) PilColor.cmykComponent(row[i + 2], row[i + 3]);
            });
        }
        throw new ImageDecodeException(file, "unsupported colour model (" + bands + " bands, colour space type " + colorSpace + ")");
    }

    /** Writes one output pixel from the samples of one input pixel. */
    @FunctionalInterface
    interface PixelConversion {
        void apply(int[] row, int rowIndex, byte[] out, int outIndex);
    }

    /** Applies {@code conversion} to every pixel of rows read through {@code rows}. */
    static RgbImage convert(BufferedImage image, SampleRows rows, PixelConversion conversion) {
        return convert(image.getWidth(), image.getHeight(), rows, conversion);
    }

    /** Applies {@code conversion} to every pixel of a {@code width} x {@code height} raster read through {@code rows}. */
    static RgbImage convert(int width, int height, SampleRows rows, PixelConversion conversion) {
        byte[] out = new byte[width * height * 3];
        int[] row = rows.newRow();
        int bands = rows.bands();
        for (int y = 0, o = 0; y < height; y++) {
            rows.read(y, row);
            for (int i = 0; i < row.length; i += bands, o += 3) {
                conversion.apply(row, i, out, o);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static RgbImage fromPalette(BufferedImage image, IndexColorModel palette) {
        int size = palette.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        palette.getReds(reds);
        palette.getGreens(greens);
        palette.getBlues(blues);
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] out = new byte[width * height * 3];
        int[] indices = new int[width];
        for (int y = 0, o = 0; y < height; y++) {
            // Raw indices: the packed 1/2/4-bit layouts are unpacked by the raster, not by the colour model.
            image.getRaster().getSamples(0, y, width, 1, 0, indices);
            for (int x = 0; x < width; x++, o += 3) {
                int index = indices[x] < size ? indices[x] : 0;
                out[o] = reds[index];
                out[o + 1] = greens[index];
                out[o + 2] = blues[index];
            }
        }
        return new RgbImage(width, height, out);
    }
}
