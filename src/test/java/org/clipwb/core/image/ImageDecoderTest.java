package org.clipwb.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported layout decodes to the RGB Pillow's {@code convert("RGB")} gives. */
class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void sixteenBitRgbPngKeepsTheHighByte() throws Exception {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(3, 1);
        raster.setPixel(0, 0, new int[] {0x1234, 0xff00, 0x80ff});
        raster.setPixel(1, 0, new int[] {0x00ff, 0xffff, 0x0100});
        raster.setPixel(2, 0, new int[] {0, 0x7fff, 0xfe01});
        Path file = write(new BufferedImage(model, raster, false, null), "png");
        assertPngHeader(file, 16, 2);

        RgbImage image = ImageDecoder.decode(file);

        assertEquals(0x12ff80, image.rgbAt(0, 0));
        assertEquals(0x00ff01, image.rgbAt(1, 0));
        assertEquals(0x007ffe, image.rgbAt(2, 0));
    }

    @Test
    void sixteenBitGreyPngKeepsTheHighByteRatherThanClippingLikePillow() throws Exception {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setPixels(0, 0, 3, 1, new int[] {0x0000, 0x00ff, 0xabcd});
        Path file = write(grey, "png");
        assertPngHeader(file, 16, 0);

        RgbImage image = ImageDecoder.decode(file);

        assertEquals(0x000000, image.rgbAt(0, 0));
        assertEquals(0x000000, image.rgbAt(1, 0), "0x00ff is dark, not white as Pillow's clipping would make it");
        assertEquals(0xababab, image.rgbAt(2, 0));
    }

    @Test
    void greyAndGreyAlphaPngsAreReplicatedAndAlphaIsDropped() throws Exception {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setPixels(0, 0, 2, 1, new int[] {7, 200});
        Path greyFile = write(grey, "png");
        assertPngHeader(greyFile, 8, 0);
        RgbImage decodedGrey = ImageDecoder.decode(greyFile);
        assertEquals(0x070707, decodedGrey.rgbAt(0, 0));
        assertEquals(0xc8c8c8, decodedGrey.rgbAt(1, 0));

        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8, 8}, true,
                false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {90, 0, 250, 128});
        Path greyAlphaFile = write(new BufferedImage(model, raster, false, null), "png");
        assertPngHeader(greyAlphaFile, 8, 4);
        RgbImage decodedGreyAlpha = ImageDecoder.decode(greyAlphaFile);
        assertEquals(0x5a5a5a, decodedGreyAlpha.rgbAt(0, 0), "fully transparent pixel keeps its grey, no compositing");
        assertEquals(0xfafafa, decodedGreyAlpha.rgbAt(1, 0));
    }

    @Test
    void rgbaPngDropsAlphaWithoutCompositing() throws Exception {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.getRaster().setPixels(0, 0, 2, 1, new int[] {10, 20, 30, 0, 200, 100, 50, 255});
        Path file = write(rgba, "png");
        assertPngHeader(file, 8, 6);

        RgbImage image = ImageDecoder.decode(file);

        assertEquals(0x0a141e, image.rgbAt(0, 0));
        assertEquals(0xc86432, image.rgbAt(1, 0));
    }

    @Test
    void palettePngWithTransparencyUsesThePaletteColours() throws Exception {
        byte[] reds = {(byte) 255, 0, 12};
        byte[] greens = {0, (byte) 255, 34};
        byte[] blues = {0, 0, 56};
        byte[] alphas = {(byte) 255, 0, (byte) 128};
        IndexColorModel palette = new IndexColorModel(8, 3, reds, greens, blues, alphas);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 1, 0});
        Path file = write(indexed, "png");
        assertPngHeader(file, 8, 3);

        RgbImage image = ImageDecoder.decode(file);

        assertEquals(0x0c2238, image.rgbAt(0, 0));
        assertEquals(0x00ff00, image.rgbAt(1, 0), "transparent palette entry keeps its colour");
        assertEquals(0xff0000, image.rgbAt(2, 0));
    }

    @Test
    void packedTwoBitPalettePngIsUnpacked() throws Exception {
        byte[] levels = {0, 40, (byte) 160, (byte) 255};
        IndexColorModel palette = new IndexColorModel(2, 4, levels, new byte[4], levels);
        BufferedImage packed = new BufferedImage(5, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        packed.getRaster().setPixels(0, 0, 5, 1, new int[] {3, 2, 1, 0, 3});
        Path file = write(packed, "png");
        assertPngHeader(file, 2, 3);

        RgbImage image = ImageDecoder.decode(file);

        int[] expected = {0xff00ff, 0xa000a0, 0x280028, 0x000000, 0xff00ff};
        for (int x = 0; x < 5; x++) {
            assertEquals(expected[x], image.rgbAt(x, 0), "pixel " + x);
        }
    }

    @Test
    void bmpAndGifDecode() throws Exception {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
        rgb.getRaster().setPixels(0, 0, 2, 2, new int[] {1, 2, 3, 250, 128, 0, 9, 99, 199, 60, 70, 80});
        RgbImage bmp = ImageDecoder.decode(write(rgb, "bmp"));
        assertArrayEquals(new byte[] {1, 2, 3, (byte) 250, (byte) 128, 0, 9, 99, (byte) 199, 60, 70, 80}, bmp.rgb());

        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {5, (byte) 222}, new byte[] {6, 111}, new byte[] {7, 0});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 2, 1, new int[] {1, 0});
        RgbImage gif = ImageDecoder.decode(write(indexed, "gif"));
        assertEquals(0xde6f00, gif.rgbAt(0, 0));
        assertEquals(0x050607, gif.rgbAt(1, 0));
    }

    @Test
    void formatIsDetectedFromContentNotFromTheName() throws Exception {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 42);
        Path png = write(grey, "png");
        Path misnamed = Files.move(png, dir.resolve("really-a-png.jpg"));

        assertEquals(0x2a2a2a, ImageDecoder.decode(misnamed).rgbAt(0, 0));
    }

    /** The YCbCr conversion is a port of libjpeg's, so it must give what the JDK's native libjpeg gives, bit for bit. */
    @Test
    void baselineAndProgressiveJpegsMatchLibjpegExactly() throws Exception {
        BufferedImage photo = noise(37, 29, BufferedImage.TYPE_3BYTE_BGR, 1);
        for (boolean progressive : new boolean[] {false, true}) {
            Path file = writeJpeg(photo, progressive);
            RgbImage image = ImageDecoder.decode(file);
            BufferedImage reference = ImageIO.read(file.toFile());
            assertEquals(37, image.width());
            assertEquals(29, image.height());
            for (int y = 0; y < 29; y++) {
                for (int x = 0; x < 37; x++) {
                    assertEquals(reference.getRGB(x, y) & 0xffffff, image.rgbAt(x, y),
                            (progressive ? "progressive" : "baseline") + " pixel (" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void greyJpegIsReplicated() throws Exception {
        Path file = writeJpeg(noise(16, 16, BufferedImage.TYPE_BYTE_GRAY, 2), false);
        RgbImage image = ImageDecoder.decode(file);
        BufferedImage reference = ImageIO.read(file.toFile());
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int grey = reference.getRaster().getSample(x, y, 0);
                assertEquals(grey * 0x010101, image.rgbAt(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    private static final int[][] CMYK_BLOCKS = {{0, 0, 0, 0}, {255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255},
        {100, 50, 20, 60}, {30, 200, 120, 10}, {255, 255, 255, 255}, {128, 128, 128, 128}, {10, 20, 30, 200}};

    /** What Pillow 9.4 ({@code Image.open(f).convert("RGB")}) gives for the block centres of the YCCK files. */
    private static final int[] PILLOW_YCCK = {0xffffff, 0x01ffff, 0xff00fe, 0xffff01, 0x000000, 0x779cb3, 0xd73681, 0x000000,
        0x3f3f3f, 0x353331};
    /** The same for the plain (Adobe transform 0) CMYK file. */
    private static final int[] PILLOW_ADOBE = {0xffffff, 0x00ffff, 0xff00ff, 0xffff00, 0x000000, 0x779db4, 0xd83582, 0x000000,
        0x3f3f3f, 0x353331};

    @Test
    void cmykAndYcckJpegsFollowPillowsFormulaAndIgnoreTheIccProfile() throws Exception {
        assertCmykBlocks("cmyk-adobe.jpg", PILLOW_ADOBE);
        assertCmykBlocks("cmyk-ycck.jpg", PILLOW_YCCK);
        assertCmykBlocks("cmyk-ycck-icc.jpg", PILLOW_YCCK);
    }

    private static void assertCmykBlocks(String resource, int[] pillowCentres) throws Exception {
        RgbImage image = ImageDecoder.decode(resource(resource));
        assertEquals(8 * CMYK_BLOCKS.length, image.width());
        for (int block = 0; block < CMYK_BLOCKS.length; block++) {
            int[] cmyk = CMYK_BLOCKS[block];
            for (int y = 0; y < 8; y++) {
                for (int x = block * 8; x < block * 8 + 8; x++) {
                    int rgb = image.rgbAt(x, y);
                    for (int c = 0; c < 3; c++) {
                        // R = (255 - K)(255 - C) / 255, G and B likewise from M and Y.
                        double expected = (255.0 - cmyk[3]) * (255.0 - cmyk[c]) / 255.0;
                        int actual = rgb >> (16 - 8 * c) & 0xff;
                        assertEquals(expected, actual, 2.0, resource + " block " + block + " channel " + c + " at (" + x + ", " + y + ")");
                    }
                }
            }
            assertEquals(pillowCentres[block], image.rgbAt(block * 8 + 4, 4), resource + " block " + block + " vs Pillow");
        }
    }

    @Test
    void losslessWebpDecodesExactly() throws Exception {
        int[] blocks = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x000000, 0x0c2238, 0xc89664, 0x4d4d4d};
        RgbImage image = ImageDecoder.decode(resource("rgb-blocks-lossless.webp"));
        assertEquals(64, image.width());
        assertEquals(8, image.height());
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 8; y++) {
                assertEquals(blocks[x / 8], image.rgbAt(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ImageDecoderTest.class.getResource("/images/" + name).toURI());
    }

    static BufferedImage noise(int width, int height, int type, long seed) {
        BufferedImage image = new BufferedImage(width, height, type);
        WritableRaster raster = image.getRaster();
        Random random = new Random(seed);
        int[] samples = new int[width * height * raster.getNumBands()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextInt(256);
        }
        raster.setPixels(0, 0, width, height, samples);
        return image;
    }

    private Path write(BufferedImage image, String format) throws IOException {
        Path file = Files.createTempFile(dir, "image", "." + format);
        assertTrue(ImageIO.write(image, format, file.toFile()), "the JDK has a " + format + " writer for this layout");
        return file;
    }

    static Path writeJpeg(BufferedImage image, boolean progressive, Path dir) throws IOException {
        Path file = Files.createTempFile(dir, progressive ? "progressive" : "baseline", ".jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return file;
    }

    private Path writeJpeg(BufferedImage image, boolean progressive) throws IOException {
        return writeJpeg(image, progressive, dir);
    }

    /** Checks that the writer really produced the PNG layout under test (IHDR bit depth and colour type). */
    private static void assertPngHeader(Path file, int bitDepth, int colorType) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(bitDepth, bytes[24], "PNG bit depth");
        assertEquals(colorType, bytes[25], "PNG colour type");
    }
}
