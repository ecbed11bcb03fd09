package org.clipwb.core.image;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files to {@link RgbImage} with the pixel values Pillow's {@code Image.open(f).convert("RGB")} gives, so
 * that features match the Python CLIP reference. Any format ImageIO can read on this classpath works (PNG, JPEG incl.
 * progressive, grey and CMYK/YCCK, BMP, GIF, WebP, TIFF); the format is detected from the content, not the file name.
 *
 * <ul>
 *   <li>Alpha is dropped without compositing; grey is replicated; palettes are looked up (transparency ignored).</li>
 *   <li>16-bit samples keep their high byte. For RGB that is what Pillow does; for 16-bit grey Pillow clips every
 *       value above 255 to white, which destroys the image, so here the high byte is kept too.</li>
 *   <li>CMYK is converted with Pillow's formula, R = (255 - K)(255 - C)/255, and embedded ICC profiles are ignored
 *       (also for RGB JPEGs), as Pillow does.</li>
 *   <li>EXIF orientation is NOT applied: the CLIP reference does not apply it either.</li>
 *   <li>Only the first frame of an animated or multi-page file is decoded.</li>
 *   <li>Lossy WebP is the one known deviation: TwelveMonkeys' VP8 decoder is not libwebp, pixels differ from Pillow's
 *       by about 2-3 levels on average (up to ~40 at sharp colour edges). Lossless WebP is exact.</li>
 * </ul>
 *
 * Bad files (empty, unreadable, not an image, truncated, corrupt, absurdly large) raise {@link ImageDecodeException}.
 * Truncated JPEGs in particular, which ImageIO silently pads with grey after a warning, are rejected like Pillow does.
 * Thread-safe: every call uses its own reader.
 */
public final class ImageDecoder {
    /** Pillow's DecompressionBombError threshold (twice {@code Image.MAX_IMAGE_PIXELS}). */
    static final long MAX_PIXELS = 2L * 89_478_485;
    /** Files are read whole into memory; no image worth decoding is larger. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private ImageDecoder() {
    }

    /** Decodes the first image in {@code file}. */
    public static RgbImage decode(Path file) throws ImageDecodeException {
        byte[] bytes = readAll(file);
        if (bytes.length == 0) {
            throw new ImageDecodeException(file, "empty file");
        }
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = firstReader(input);
            if (reader == null) {
                throw new ImageDecodeException(file, "not an image (unknown format)");
            }
            try {
                return read(reader, input, bytes, file);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // Only closing the in-memory stream can get here; it cannot really fail.
            throw new ImageDecodeException(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] readAll(Path file) throws ImageDecodeException {
        if (Files.isDirectory(file)) {
            throw new ImageDecodeException(file, "is a directory");
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ImageDecodeException(file, "file too large (" + Files.size(file) + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(file, "permission denied", e);
        } catch (IOException e) {
            throw new ImageDecodeException(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static ImageReader firstReader(ImageInputStream input) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        return readers.hasNext() ? readers.next() : null;
    }

    private static RgbImage read(ImageReader reader, ImageInputStream input, byte[] bytes, Path file) throws ImageDecodeException {
        String format = formatName(reader);
        boolean jpeg = format.equals("JPEG");
        TruncationWarnings truncation = new TruncationWarnings();
        reader.addIIOReadWarningListener(truncation);
        // JPEG needs its markers (JFIF, Adobe) to choose the colour transform as libjpeg does.
        reader.setInput(input, true, !jpeg);
        try {
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new ImageDecodeException(file, "image too large (" + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + " pixels, at most " + MAX_PIXELS + " are decoded)");
            }
            if (format.equals("WEBP") && riffTruncated(bytes)) {
                // TwelveMonkeys decodes a cut WebP without complaint, filling the rest with garbage.
                throw new ImageDecodeException(file, "truncated WEBP data");
            }
            RgbImage image = jpeg ? JpegRasterReader.read(reader, file) : BufferedImageConverter.toRgb(reader.read(0), file);
            if (truncation.seen) {
                throw new ImageDecodeException(file, "truncated " + format + " data");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // Plugins report bad data with all sorts of exceptions (IIOException, IndexOutOfBounds, IllegalArgument...).
            if (truncation.seen || causedBy(e, EOFException.class)) {
                throw new ImageDecodeException(file, "truncated " + format + " data", e);
            }
            throw new ImageDecodeException(file, "corrupt " + format + " data (" + deepestMessage(e) + ")", e);
        }
    }

    private static String formatName(ImageReader reader) {
        try {
            String name = reader.getFormatName();
            return name.toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
        }
    }

    /** A RIFF container (WebP) holds its own length: fewer bytes than that means the file was cut. */
    private static boolean riffTruncated(byte[] bytes) {
        if (bytes.length < 12) {
            return true;
        }
        long declared = ByteBuffer.wrap(bytes, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        return bytes.length < declared + 8;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String deepestMessage(Throwable e) {
        String message = e.toString();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    /**
     * The JDK's JPEG reader pads missing data with grey and only warns ("Premature end of JPEG file", "Corrupt JPEG data:
     * premature end of data segment", "Missing EOI marker"); Pillow refuses such files, so these warnings are errors here.
     * Other warnings (extraneous bytes, ignored ICC profiles) are harmless, as in Pillow.
     */
    private static final class TruncationWarnings implements IIOReadWarningListener {
        boolean seen;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String w = warning.toLowerCase(Locale.ROOT);
            if (w.contains("premature end") || w.contains("missing eoi")) {
                seen = true;
            }
        }
    }
}
