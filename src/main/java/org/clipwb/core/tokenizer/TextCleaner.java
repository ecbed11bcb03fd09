package org.clipwb.core.tokenizer;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** CLIP's text cleaning before splitting: {@code basic_clean}, {@code whitespace_clean}, then Python's {@code lower()}. */
final class TextCleaner {
    private static final Pattern LONE_SURROGATE = Pattern.compile("\\p{Cs}");
    /** The reference's {@code \s} (module {@code regex}): the Unicode White_Space property, as Java's Unicode {@code \s}. */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final char CAPITAL_SIGMA = '\u03A3';

    private TextCleaner() {
    }

    /**
     * The cleaned, lower-cased text. The reference first runs ftfy.fix_text, which has no Java port; NFC normalisation
     * (ftfy's last step) plus ftfy's replacement of lone surrogates is the closest equivalent. It is exact for ordinary
     * text and differs only where ftfy would repair something: mojibake, curly quotes, ligatures, full-width letters,
     * control characters, or HTML escaped three times over.
     */
    static String clean(String text) {
        String fixed = LONE_SURROGATE.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll("\uFFFD");
        String unescaped = HtmlUnescaper.unescape(HtmlUnescaper.unescape(fixed));
        // basic_clean's strip() is subsumed by the final one. Python's str.strip() also removes U+001C..U+001F, which
        // are not White_Space; Java's strip() removes exactly those and the space that folding leaves.
        return lowerCase(WHITESPACE_RUN.matcher(unescaped).replaceAll(" ").strip());
    }

    /**
     * Python's {@code str.lower()}. Java lower-cases alike except for the capital sigma, whose final form Java chooses
     * by word boundaries and Python by the Unicode Final_Sigma context, so sigmas are decided here.
     */
    static String lowerCase(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        int start = 0;
        for (int sigma = text.indexOf(CAPITAL_SIGMA); sigma >= 0; sigma = text.indexOf(CAPITAL_SIGMA, sigma + 1)) {
            lower.append(text.substring(start, sigma).toLowerCase(Locale.ROOT));
            lower.append(isFinalSigma(text, sigma) ? '\u03C2' : '\u03C3');
            start = sigma + 1;
        }
        return lower.append(text.substring(start).toLowerCase(Locale.ROOT)).toString();
    }

    /** Final_Sigma: a cased letter before, no cased letter after, skipping case-ignorable characters both ways. */
    private static boolean isFinalSigma(String text, int sigma) {
        int before = sigma;
        while (before > 0 && isCaseIgnorable(text.codePointBefore(before))) {
            before -= Character.charCount(text.codePointBefore(before));
        }
        if (before == 0 || !isCased(text.codePointBefore(before))) {
            return false;
        }
        int after = sigma + 1;
        while (after < text.length() && isCaseIgnorable(text.codePointAt(after))) {
            after += Character.charCount(text.codePointAt(after));
        }
        return after == text.length() || !isCased(text.codePointAt(after));
    }

    private static boolean isCased(int codePoint) {
        return Character.isLowerCase(codePoint) || Character.isUpperCase(codePoint) || Character.isTitleCase(codePoint);
    }

    /** Unicode Case_Ignorable: marks, format characters, modifiers, and the apostrophes and dots inside words. */
    private static boolean isCaseIgnorable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || type == Character.MODIFIER_LETTER || type == Character.MODIFIER_SYMBOL
                || isWordInternalPunctuation(codePoint);
    }

    /** Word_Break MidLetter, MidNumLet and Single_Quote. */
    private static boolean isWordInternalPunctuation(int codePoint) {
        return switch (codePoint) {
            case 0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55,
                    0xFF07, 0xFF0E, 0xFF1A -> true;
            default -> false;
        };
    }
}
