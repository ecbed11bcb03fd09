package org.clipwb.core.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the project's simple list files (class lists, template files): UTF-8, one entry per line, blank lines and
 * lines starting with {@code #} ignored, each entry keeping its 1-based line number for error messages.
 */
public final class CommentedLines {
    private CommentedLines() {
    }

    /** One meaningful line: its number in the file and its trimmed text. */
    public record Line(int number, String text) {
    }

    /** Reads a file; a missing file or invalid UTF-8 is an {@link IOException} naming the file. */
    public static List<Line> read(Path file) throws IOException {
        return parse(readUtf8(file));
    }

    /** A file's text, decoded strictly as UTF-8 (a leading byte-order mark is dropped). */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        }
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text: save it as UTF-8", e);
        }
        return content.startsWith("\uFEFF") ? content.substring(1) : content;
    }

    /** Every line that is not blank, unchanged (no comment handling: for files of free text). */
    public static List<Line> nonBlankLines(String content) {
        List<Line> lines = new ArrayList<>();
        String[] raw = content.split("\r\n|\r|\n", -1);
        for (int i = 0; i < raw.length; i++) {
            if (!raw[i].isBlank()) {
                lines.add(new Line(i + 1, raw[i]));
            }
        }
        return lines;
    }

    /** Splits text into meaningful lines: trimmed, without blank lines and {@code #} comments. */
    public static List<Line> parse(String content) {
        List<Line> lines = new ArrayList<>();
        for (Line line : nonBlankLines(content.startsWith("\uFEFF") ? content.substring(1) : content)) {
            String trimmed = line.text().strip();
            if (!trimmed.startsWith("#")) {
                lines.add(new Line(line.number(), trimmed));
            }
        }
        return lines;
    }
}
