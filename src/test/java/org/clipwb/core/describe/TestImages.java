package org.clipwb.core.describe;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Image files for the tests, and the images that servers receive. */
final class TestImages {
    private TestImages() {
    }

    /** A PNG file of one colour. */
    static Path write(Path dir, String name, int width, int height, Color colour) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(colour);
        graphics.fillRect(0, 0, width, height);
        graphics.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** Decodes base64 that must be a PNG (the first bytes say so) into an image. */
    static BufferedImage decodePng(String base64) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length < 8 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G') {
            throw new AssertionError("not a PNG");
        }
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
