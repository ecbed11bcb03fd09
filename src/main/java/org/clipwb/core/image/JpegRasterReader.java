package org.clipwb.core.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Decodes a JPEG the way Pillow does. The reader's raw raster (libjpeg output before any colour conversion) is converted
 * here, choosing the colour transform by libjpeg's rules ({@code jdapimin.c}) and converting with libjpeg's tables and
 * Pillow's CMYK formula. Embedded ICC profiles are ignored on purpose: Pillow ignores them, so features match the
 * Python reference (TwelveMonkeys' {@code read} would apply them, and would convert CMYK through a CMYK profile).
 */
final class JpegRasterReader {
    private static final String NATIVE_METADATA = "javax_imageio_jpeg_image_1.0";

    /** What the stored components are, as libjpeg guesses it. */
    enum Transform {
        GREY, RGB, YCBCR, CMYK, YCCK
    }

    private JpegRasterReader() {
    }

    /** Reads image 0 of {@code reader}, which must have been given its input with metadata enabled. */
    static RgbImage read(ImageReader reader, Path file) throws IOException, ImageDecodeException {
        Transform transform = transform(reader.getImageMetadata(0), file);
        var raster = reader.readRaster(0, null);
        SampleRows rows = new SampleRows(raster);
        int expectedBands = switch (transform) {
            case GREY -> 1;
            case RGB, YCBCR -> 3;
            case CMYK, YCCK -> 4;
        };
        if (rows.bands() != expectedBands) {
            throw new ImageDecodeException(file, "corrupt JPEG data (" + rows.bands() + " decoded components for " + transform + ")");
        }
        BufferedImageConverter.PixelConversion conversion = switch (transform) {
            case GREY -> (row, i, out, o) -> {
                byte grey = (byte) row[i];
                out[o] = grey;
                out[o + 1] = grey;
                out[o + 2] = grey;
            };
            case RGB -> (row, i, out, o) -> {
                out[o] = (byte) row[i];
                out[o + 1] = (byte) row[i + 1];
                out[o + 2] = (byte) row[i + 2];
            };
            case YCBCR -> (row, i, out, o) -> {
                out[o] = (byte) PilColor.yccRed(row[i], row[i + 2]);
                out[o + 1] = (byte) PilColor.yccGreen(row[i], row[i + 1], row[i + 2]);
                out[o + 2] = (byte) PilColor.yccBlue(row[i], row[i + 1]);
            };
            // Pillow always assumes Adobe polarity for 4-component JPEGs (stored values are 255 - ink) and inverts them.
            case CMYK -> (row, i, out, o) -> {
                int black = 255 - row[i + 3];
                out[o] = (byte) PilColor.cmykComponent(255 - row[i], black);
                out[o + 1] = (byte) PilColor.cmykComponent(255 - row[i + 1], black);
                out[o + 2] = (byte) PilColor.cmykComponent(255 - row[i + 2], black);
            };
            // libjpeg turns YCCK into (255 - R, 255 - G, 255 - B, K) of the YCC part; Pillow's inversion then gives inks R, G, B.
            case YCCK -> (row, i, out, o) -> {
                int black = 255 - row[i + 3];
                out[o] = (byte) PilColor.cmykComponent(PilColor.yccRed(row[i], row[i + 2]), black);
                out[o + 1] = (byte) PilColor.cmykComponent(PilColor.yccGreen(row[i], row[i + 1], row[i + 2]), black);
                out[o + 2] = (byte) PilColor.cmykComponent(PilColor.yccBlue(row[i], row[i + 1]), black);
            };
        };
        return BufferedImageConverter.convert(raster.getWidth(), raster.getHeight(), rows, conversion);
    }

    /** libjpeg's guess of the colour space from the component count, the JFIF and Adobe markers and the component ids. */
    static Transform transform(IIOMetadata metadata, Path file) throws ImageDecodeException {
        Node root = metadata.getAsTree(NATIVE_METADATA);
        Element sof = firstDescendant(root, "sof");
        if (sof == null) {
            throw new ImageDecodeException(file, "corrupt JPEG data (no frame header)");
        }
        boolean jfif = firstDescendant(root, "app0JFIF") != null;
        Element adobe = firstDescendant(root, "app14Adobe");
        int adobeTransform = adobe == null ? -1 : Integer.parseInt(adobe.getAttribute("transform"));
        List<Integer> ids = componentIds(sof);
        switch (ids.size()) {
            case 1:
                return Transform.GREY;
            case 3:
                if (jfif) {
                    return Transform.YCBCR;
                }
                if (adobe != null) {
                    return adobeTransform == 0 ? Transform.RGB : Transform.YCBCR;
                }
                return ids.equals(List.of((int) 'R', (int) 'G', (int) 'B')) ? Transform.RGB : Transform.YCBCR;
            case 4:
                return adobe != null && adobeTransform != 0 ? Transform.YCCK : Transform.CMYK;
            default:
                throw new ImageDecodeException(file, "unsupported JPEG with " + ids.size() + " colour components");
        }
    }

    private static List<Integer> componentIds(Element sof) {
        List<Integer> ids = new ArrayList<>();
        for (Node n = sof.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element spec && spec.getNodeName().equals("componentSpec")) {
                ids.add(Integer.parseInt(spec.getAttribute("componentId")));
            }
        }
        return ids;
    }

    private static Element firstDescendant(Node node, String name) {
        for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNodeName().equals(name)) {
                return e;
            }
            Element found = firstDescendant(n, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
