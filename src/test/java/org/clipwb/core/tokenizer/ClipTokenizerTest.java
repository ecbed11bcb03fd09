package org.clipwb.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClipTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ClipTokenizer clip;

    @BeforeAll
    static void loadRealVocabulary() throws IOException {
        clip = ClipTokenizer.fromDirectory(TestData.clipTokenizer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hf", "open_clip"})
    void reproducesTheTinyClipReferenceRows(String layout) throws IOException {
        JsonNode expected = JSON.readTree(TestData.tinyClip().resolve("expected.json").toFile());
        ClipTokenizer tiny = ClipTokenizer.fromDirectory(TestData.tinyClip().resolve(layout));

        assertEquals(expected.get("sot").asInt(), tiny.sotId());
        assertEquals(expected.get("eot").asInt(), tiny.eotId());
        assertEquals(expected.at("/config/text/vocab_size").asInt(), tiny.vocabSize());
        List<String> texts = new ArrayList<>();
        expected.get("texts").forEach(text -> texts.add(text.asText()));
        int[][] rows = tiny.tokenize(texts);
        assertEquals(12, rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(ints(expected.get("token_ids").get(i)), rows[i], "row " + i + ": " + texts.get(i));
        }
    }

    @Test
    void reproducesTheRealClipVocabularyCases() throws IOException {
        JsonNode expected = JSON.readTree(TestData.clipTokenizer().resolve("expected_ids.json").toFile());

        assertEquals(49406, clip.sotId());
        assertEquals(49407, clip.eotId());
        assertEquals(expected.get("vocab_size").asInt(), clip.vocabSize());
        assertEquals(expected.get("context_length").asInt(), clip.contextLength());
        assertEquals(12, expected.get("cases").size());
        for (JsonNode testCase : expected.get("cases")) {
            String text = testCase.get("text").asText();
            assertArrayEquals(ints(testCase.get("ids")), clip.tokenize(text), text);
        }
    }

    @Test
    void encodesWithoutMarkersOrPadding() {
        assertArrayEquals(new int[] {320, 1125, 539, 320, 1929, 269}, clip.encode("a photo of a dog."));
        assertArrayEquals(new int[0], clip.encode(" \t\n"));
    }

    @Test
    void truncatesToAShorterContextKeepingTheEndMarker() {
        ClipTokenizer five = clip.withContextLength(5);
        assertEquals(5, five.contextLength());
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 49407}, five.tokenize("a photo of a dog."));
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 49407}, five.tokenize("a photo of"));
        assertArrayEquals(new int[] {49406, 320, 1125, 49407, 0}, five.tokenize("a photo"));
        assertThrows(IllegalArgumentException.class, () -> clip.withContextLength(1));
    }

    @Test
    void markersWrittenInTheTextBecomeTheirIds() {
        assertArrayEquals(new int[] {49406, 320, 49407}, clip.encode("<|startoftext|>a<|ENDOFTEXT|>"));
    }

    @Test
    void cleansLikeTheReference() {
        // NFC: a decomposed diaeresis tokenizes like the precomposed letter.
        assertArrayEquals(clip.encode("na\u00efve"), clip.encode("nai\u0308ve"));
        // Unicode White_Space (no-break, em and ideographic spaces) folds to one space.
        assertArrayEquals(clip.encode("a dog"), clip.encode("\u00a0a\u2003dog\u3000"));
        // Entities are unescaped twice.
        assertArrayEquals(clip.encode("<b>"), clip.encode("&amp;lt;b&amp;gt;"));
        // A lone surrogate becomes U+FFFD, as ftfy makes it, instead of failing or turning into '?'.
        assertArrayEquals(clip.encode("a \uFFFD"), clip.encode("a \uD800"));
    }

    /**
     * Ids from openai/CLIP's simple_tokenizer.py (Python 3.11, regex 2026.5.9) with ftfy.fix_text replaced by NFC, for
     * the places where Java and Python differ unless handled: HTML5 entities (apostrophe, bare legacy name, windows-1252
     * and out-of-range numbers), Python's final-sigma rule, U+001C..U+001F (not White_Space, but stripped at the ends),
     * case-insensitive contractions, U+0345 (which the reference's pattern drops), and non-Latin scripts.
     */
    @ParameterizedTest
    @MethodSource("referenceEdgeCases")
    void matchesTheReferenceOnUnicodeAndEntityEdgeCases(String text, int[] expected) {
        assertArrayEquals(expected, clip.encode(text));
    }

    static Stream<Arguments> referenceEdgeCases() {
        return Stream.of(
                arguments("it&apos;s &amp b &#128; &#1114112; &NotEqualTilde;",
                        new int[] {585, 568, 261, 321, 6309, 39802, 22684, 224, 136, 372}),
                arguments("\u039f\u0394\u039f\u03a3 \u03a3\u0391\u03a3 \u0391\u03a3.\u0392 a\u0d37\u03a3",
                        new int[] {138, 123, 138, 112, 138, 123, 139, 480, 139, 225, 138, 109, 139, 480, 138, 109, 139, 481, 269,
                            138, 366, 64, 15418, 115, 139, 481}),
                arguments("\u001fa\u001fdog\u0085x\u00a0\u3000", new int[] {320, 475, 1929, 343}),
                arguments("\u017ft IT'S WE'LL '\u017f", new int[] {129, 123, 339, 585, 568, 649, 1342, 6, 129, 379}),
                arguments("\u1fb3 x\u0345y", new int[] {157, 122, 367, 343, 344}),
                arguments("nai\u0308ve", new int[] {1097, 35689, 563}),
                arguments("\u0130stanbul \ufb01ne \u6771\u4eac\u30bf\u30ef\u30fc \ud83d\uddfc",
                        new int[] {328, 16384, 11231, 171, 105, 223, 1422, 48338, 21078, 105, 34941, 2429, 107, 30391, 7045, 376}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a photo of a dog.", "Naïve CAFÉ, 1,000 km/h!", "don't stop", "東京タワー 🗼"})
    void decodingEncodedTextGivesTheCleanedWordsSeparatedBySpaces(String text) {
        String decoded = clip.decode(clip.encode(text));
        assertEquals(TextCleaner.clean(text).replace(" ", ""), decoded.replace(" ", ""));
    }

    @Test
    void decodeMarksEndsOfWordWithSpaces() {
        assertEquals("a photo of a dog . ", clip.decode(clip.encode("a photo of a dog.")));
        assertEquals("<|startoftext|>itap of a 7 4 7 - 4 0 0 . <|endoftext|>",
                clip.decode(clip.withContextLength(14).tokenize("itap of a 747-400.")));
        assertThrows(IllegalArgumentException.class, () -> clip.decode(new int[] {49408}));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ClipTokenizer fresh = ClipTokenizer.fromDirectory(TestData.clipTokenizer());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("photo number " + i + " of a pyrenees mountain dog in the snow, variant " + (i * 7919 % 1000));
        }
        int[][] expected = clip.tokenize(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[][]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> fresh.tokenize(texts)));
            }
            for (Future<int[][]> result : results) {
                assertArrayEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
