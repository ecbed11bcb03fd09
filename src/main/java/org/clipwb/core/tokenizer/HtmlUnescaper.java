package org.clipwb.core.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}, which the CLIP reference applies twice. Ported by hand because commons-text's
 * {@code unescapeHtml4} knows only HTML 4 (no {@code &apos;}, no bare legacy names such as {@code &amp} without
 * semicolon), decodes {@code &#128;} differently and throws on references above U+10FFFF; each of these would change
 * the token ids of real captions or fail on them.
 */
final class HtmlUnescaper {
    private static final Pattern CHARACTER_REFERENCE =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    /** HTML decodes {@code &#128;}..{@code &#159;} as windows-1252, keeping the 5 bytes windows-1252 leaves undefined. */
    private static final String WINDOWS_1252_80_TO_9F = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160"
            + "\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153"
            + "\u009D\u017E\u0178";
    private static final BigInteger MAX_CODE_POINT = BigInteger.valueOf(Character.MAX_CODE_POINT);
    private static final String ENTITY_TABLE = "html5-entities.tsv";

    private HtmlUnescaper() {
    }

    /** Replaces every numeric and named character reference in {@code text} as Python's html.unescape does. */
    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        return CHARACTER_REFERENCE.matcher(text).replaceAll(match -> Matcher.quoteReplacement(replacement(match.group(1))));
    }

    private static String replacement(String reference) {
        return reference.charAt(0) == '#' ? numeric(reference) : named(reference);
    }

    private static String numeric(String reference) {
        boolean hex = reference.charAt(1) == 'x' || reference.charAt(1) == 'X';
        String digits = reference.substring(hex ? 2 : 1, reference.length() - (reference.endsWith(";") ? 1 : 0));
        BigInteger value = new BigInteger(digits, hex ? 16 : 10);
        if (value.compareTo(MAX_CODE_POINT) > 0) {
            return "\uFFFD";
        }
        int codePoint = value.intValue();
        if (codePoint == 0 || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            return "\uFFFD";
        }
        if (codePoint == '\r') {
            return "\r";
        }
        if (codePoint >= 0x80 && codePoint <= 0x9F) {
            return String.valueOf(WINDOWS_1252_80_TO_9F.charAt(codePoint - 0x80));
        }
        return isForbiddenInHtml(codePoint) ? "" : Character.toString(codePoint);
    }

    /** Controls other than whitespace, and the Unicode noncharacters: HTML drops references to them. */
    private static boolean isForbiddenInHtml(int codePoint) {
        return (codePoint >= 0x01 && codePoint <= 0x08) || codePoint == 0x0B || (codePoint >= 0x0E && codePoint <= 0x1F)
                || codePoint == 0x7F || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

    /** An exact name, else the longest legacy name that starts the reference (HTML accepts {@code &ampx} as "&x"). */
    private static String named(String reference) {
        Map<String, String> entities = EntityTable.ENTITIES;
        String value = entities.get(reference);
        if (value != null) {
            return value;
        }
        for (int length = reference.length() - 1; length > 1; length--) {
            value = entities.get(reference.substring(0, length));
            if (value != null) {
                return value + reference.substring(length);
            }
        }
        return "&" + reference;
    }

    /** Loaded on first use of a named reference. */
    private static final class EntityTable {
        static final Map<String, String> ENTITIES = load();

        private static Map<String, String> load() {
            Map<String, String> entities = new HashMap<>();
            try (InputStream in = HtmlUnescaper.class.getResourceAsStream(ENTITY_TABLE)) {
                if (in == null) {
                    throw new IllegalStateException("The resource " + ENTITY_TABLE + " is missing from the application");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("#")) {
                        continue;
                    }
                    String[] nameAndCodePoints = line.split("\t");
                    StringBuilder value = new StringBuilder();
                    for (String hex : nameAndCodePoints[1].split(" ")) {
                        value.appendCodePoint(Integer.parseInt(hex, 16));
                    }
                    entities.put(nameAndCodePoints[0], value.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the resource " + ENTITY_TABLE, e);
            }
            return Map.copyOf(entities);
        }
    }
}
