package org.clipwb.core.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Reads a raster row by row as 8-bit samples (band-interleaved ints), straight from the data buffer when it holds 8-bit
 * components, so no pixel goes through {@code getRGB} and its colour management. Deeper samples keep their high byte
 * (as Pillow does for 16-bit RGB); shallower ones are stretched to 0..255 ({@code v * 255 / max}, as Pillow's unpackers).
 */
final class SampleRows {
    private final Raster raster;
    private final int width;
    private final int bands;
    private final int[] sampleBits;
    /** Per band: the bank array, or null when the generic (slower) path is used. */
    private final byte[][] bankOf;
    private final int[] bandStart;
    private final int pixelStride;
    private final int scanlineStride;

    SampleRows(Raster raster) {
        this.raster = raster;
        this.width = raster.getWidth();
        this.bands = raster.getNumBands();
        SampleModel model = raster.getSampleModel();
        this.sampleBits = model.getSampleSize();
        this.bandStart = new int[bands];
        DataBuffer buffer = raster.getDataBuffer();
        if (buffer instanceof DataBufferByte bytes && model instanceof ComponentSampleModel components && allEight(sampleBits)) {
            this.bankOf = new byte[bands][];
            this.pixelStride = components.getPixelStride();
            this.scanlineStride = components.getScanlineStride();
            int originX = raster.getMinX() - raster.getSampleModelTranslateX();
            int originY = raster.getMinY() - raster.getSampleModelTranslateY();
            for (int b = 0; b < bands; b++) {
                int bank = components.getBankIndices()[b];
                bankOf[b] = bytes.getData(bank);
                bandStart[b] = bytes.getOffsets()[bank] + components.getBandOffsets()[b] + originY * scanlineStride
                        + originX * pixelStride;
            }
        } else {
            this.bankOf = null;
            this.pixelStride = 0;
            this.scanlineStride = 0;
        }
    }

    private static boolean allEight(int[] bits) {
        for (int b : bits) {
            if (b != 8) {
                return false;
            }
        }
        return true;
    }

    /** Number of bands per pixel. */
    int bands() {
        return bands;
    }

    /** A buffer large enough for one row. */
    int[] newRow() {
        return new int[width * bands];
    }

    /** Fills {@code dst} with row {@code y} (counted from the raster's top), band-interleaved, scaled to 8 bits. */
    void read(int y, int[] dst) {
        if (bankOf != null) {
            for (int b = 0; b < bands; b++) {
                byte[] data = bankOf[b];
                int at = bandStart[b] + y * scanlineStride;
                for (int x = 0, i = b; x < width; x++, i += bands, at += pixelStride) {
                    dst[i] = data[at] & 0xff;
                }
            }
            return;
        }
        raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, dst);
        for (int b = 0; b < bands; b++) {
            int bits = sampleBits[b];
            if (bits == 8) {
                continue;
            }
            for (int i = b; i < dst.length; i += bands) {
                dst[i] = bits > 8 ? dst[i] >>> (bits - 8) : dst[i] * 255 / ((1 << bits) - 1);
            }
        }
    }
}
