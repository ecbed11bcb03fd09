package org.clipwb.core.describe;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.clipwb.core.image.ImageDecodeException;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.image.PillowResampler;
import org.clipwb.core.image.RgbImage;

/** Images as description servers take them: PNG, base64-encoded. */
final class ImageUploads {
    /**
     * Longest side sent for a single image. LLaVA-1.6 looks at most at 672×672 (or 1344×336) pixels, so a larger
     * photo loses nothing by being shrunk first, and the request stays a few megabytes.
     */
    static final int MAX_SIDE = 1344;

    private ImageUploads() {
    }

    /** One image file, decoded as the rest of the workbench decodes it (any format), shrunk to {@link #MAX_SIDE}. */
    static String imageFile(Path file) throws DescriptionException {
        return pngBase64(PillowResampler.resizeToFit(decode(file), MAX_SIDE));
    }

    /** The {@link GroupComposite} of the image files. */
    static String groupComposite(List<Path> files) throws DescriptionException {
        List<RgbImage> images = new ArrayList<>(files.size());
        for (Path file : files) {
            images.add(decode(file));
        }
        return pngBase64(GroupComposite.of(images));
    }

    private static RgbImage decode(Path file) throws DescriptionException {
        try {
            return ImageDecoder.decode(file);
        } catch (ImageDecodeException e) {
            throw new DescriptionException(e.getMessage() + "; replace the file or leave it out", e);
        }
    }

    /** PNG bytes of an image, base64-encoded. */
    static String pngBase64(RgbImage image) {
        // The RGB bytes back the BufferedImage directly: no per-pixel copy.
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(image.rgb(), image.rgb().length),
                image.width(), image.height(), image.width() * 3, 3, new int[] {0, 1, 2}, null);
        ComponentColorModel colours = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false,
                false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(new BufferedImage(colours, raster, false, null), "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        }
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
