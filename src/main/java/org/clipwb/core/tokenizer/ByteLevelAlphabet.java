package org.clipwb.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CLIP's (and GPT-2's) {@code bytes_to_unicode}: each of the 256 byte values stands for one printable character, so
 * BPE symbols never contain whitespace or control characters. Printable Latin-1 bytes ({@code !}..{@code ~},
 * {@code ¡}..{@code ¬}, {@code ®}..{@code ÿ}) stand for themselves; the other 68 bytes map, in increasing byte order,
 * to U+0100, U+0101, ...
 */
final class ByteLevelAlphabet {
    private static final char[] CHAR_OF_BYTE = new char[256];
    /** Inverse table indexed by character; -1 for characters outside the alphabet. */
    private static final int[] BYTE_OF_CHAR = new int[256 + 68];

    static {
        Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            char c = isPrintable(b) ? (char) b : (char) next++;
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** Whether byte {@code b} stands for itself (printable Latin-1); the others map to U+0100 onwards. */
    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /**
     * The 256 symbols in the order of CLIP's vocabulary ({@code bytes_to_unicode} dict order): the printable bytes
     * ascending, then the other bytes ascending.
     */
    static List<String> symbolsInVocabularyOrder() {
        List<String> symbols = new ArrayList<>(256);
        for (boolean printable : new boolean[] {true, false}) {
            for (int b = 0; b < 256; b++) {
                if (isPrintable(b) == printable) {
                    symbols.add(String.valueOf(CHAR_OF_BYTE[b]));
                }
            }
        }
        return symbols;
    }

    /** The character standing for byte value {@code b} (0..255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b];
    }

    /** The UTF-8 bytes of {@code text}, one alphabet character per byte. */
    static String encodeUtf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * Turns alphabet characters back into bytes and decodes them as UTF-8 (malformed sequences become U+FFFD, as
     * Python's {@code errors="replace"}). A character outside the alphabet, which only a foreign vocabulary entry can
     * contain, is kept as its own UTF-8 text so that decoding stays a faithful display of the tokens.
     */
    static String decodeUtf8(CharSequence symbols) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(symbols.length());
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b >= 0) {
                bytes.write(b);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
