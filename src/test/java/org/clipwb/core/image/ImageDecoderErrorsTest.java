package org.clipwb.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give an {@link ImageDecodeException} naming the file and a short reason, never garbage pixels. */
class ImageDecoderErrorsTest {
    @TempDir
    Path dir;

    private static void assertFails(Path file, String reason) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(file));
        assertEquals(file, e.path());
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(Files.createFile(dir.resolve("empty.png")), "empty file");
    }

    @Test
    void randomBytesNamedJpg() throws IOException {
        byte[] junk = new byte[1000];
        new Random(7).nextBytes(junk);
        assertFails(Files.write(dir.resolve("junk.jpg"), junk), "not an image (unknown format)");
    }

    @Test
    void textFile() throws IOException {
        assertFails(Files.writeString(dir.resolve("notes.png"), "not a picture\n"), "not an image (unknown format)");
    }

    /** ImageIO pads the missing half with grey and only warns; Pillow refuses the file, and so must we. */
    @Test
    void jpegCutInHalf() throws IOException {
        for (boolean progressive : new boolean[] {false, true}) {
            Path whole = ImageDecoderTest.writeJpeg(ImageDecoderTest.noise(64, 64, BufferedImage.TYPE_3BYTE_BGR, 3), progressive, dir);
            byte[] bytes = Files.readAllBytes(whole);
            assertFails(Files.write(dir.resolve("half-" + progressive + ".jpg"), Arrays.copyOf(bytes, bytes.length / 2)),
                    "truncated JPEG data");
        }
    }

    @Test
    void jpegMissingOnlyItsEndMarker() throws IOException {
        Path whole = ImageDecoderTest.writeJpeg(ImageDecoderTest.noise(16, 16, BufferedImage.TYPE_3BYTE_BGR, 4), false, dir);
        byte[] bytes = Files.readAllBytes(whole);
        assertFails(Files.write(dir.resolve("no-eoi.jpg"), Arrays.copyOf(bytes, bytes.length - 2)), "truncated JPEG data");
    }

    @Test
    void pngCutInHalf() throws IOException {
        Path whole = dir.resolve("whole.png");
        ImageIO.write(ImageDecoderTest.noise(64, 64, BufferedImage.TYPE_3BYTE_BGR, 5), "png", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        assertFails(Files.write(dir.resolve("half.png"), Arrays.copyOf(bytes, bytes.length / 2)), "truncated PNG data");
    }

    @Test
    void webpCutShort() throws Exception {
        byte[] bytes = Files.readAllBytes(ImageDecoderTest.resource("rgb-blocks-lossless.webp"));
        assertFails(Files.write(dir.resolve("cut.webp"), Arrays.copyOf(bytes, bytes.length - 20)), "truncated WEBP data");
    }

    /** A PNG header claiming 40000 x 40000 pixels is refused before any pixel memory is allocated. */
    @Test
    void decompressionBomb() throws IOException {
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", small.toFile());
        byte[] bytes = Files.readAllBytes(small);
        ByteBuffer.wrap(bytes, 16, 8).putInt(40_000).putInt(40_000); // IHDR width and height
        assertFails(Files.write(dir.resolve("bomb.png"), bytes),
                "image too large (40000x40000 pixels, at most " + ImageDecoder.MAX_PIXELS + " are decoded)");
    }

    @Test
    void directory() throws IOException {
        assertFails(Files.createDirectory(dir.resolve("photos.jpg")), "is a directory");
    }

    @Test
    void missingFile() {
        assertFails(dir.resolve("nowhere.png"), "file not found");
    }

    /** Skipped where the permission cannot bite: tests often run as root, who reads a mode-000 file anyway. */
    @Test
    void unreadableFile() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "needs POSIX permissions");
        Path file = dir.resolve("secret.png");
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", file.toFile());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(file), "this user (root?) can still read a mode-000 file");
            assertFails(file, "permission denied");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
