package org.clipwb.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's steps before BPE, shared by {@link ClipTokenizer} and {@link BpeTrainer} so that merges are learned on exactly
 * the symbols that encoding starts from: cleaning and lower-casing ({@link TextCleaner}), splitting into word pieces, and
 * turning a piece into byte symbols with {@value #END_OF_WORD} on the last.
 */
final class PreTokenizer {
    /** Appended to the last symbol of every word piece. */
    static final String END_OF_WORD = "</w>";

    /**
     * The reference's split pattern. Its {@code regex} module, matching case-insensitively, lets U+0345 (combining
     * ypogegrammeni, whose case fold is the letter iota) match none of the alternatives, so that character is dropped;
     * excluding it from the last class reproduces this.
     */
    private static final Pattern WORD_PIECE = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}\\u0345]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizer() {
    }

    /** The non-empty word pieces of the cleaned text, in order; a start or end marker in the text is a piece of its own. */
    static List<String> wordPieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = WORD_PIECE.matcher(TextCleaner.clean(text));
        while (matcher.find()) {
            pieces.add(matcher.group());
        }
        return pieces;
    }

    /** Whether a word piece is the start or end marker, which stands for its own id and never goes through BPE. */
    static boolean isMarker(String piece) {
        return piece.equals(ClipTokenizer.START_OF_TEXT) || piece.equals(ClipTokenizer.END_OF_TEXT);
    }

    /** The symbols BPE starts from: one alphabet character per UTF-8 byte of the piece, the last with {@code </w>}. */
    static List<String> byteSymbols(String piece) {
        String bytes = ByteLevelAlphabet.encodeUtf8(piece);
        List<String> symbols = new ArrayList<>(bytes.length());
        for (int i = 0; i < bytes.length() - 1; i++) {
            symbols.add(String.valueOf(bytes.charAt(i)));
        }
        symbols.add(bytes.charAt(bytes.length() - 1) + END_OF_WORD);
        return symbols;
    }
}
