package org.clipwb.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    /** Word counts: a 8, circle 8, red 7, blue 3, two 2, stars 2. */
    private static final List<String> SHAPES = corpus("a red circle", 5, "a blue circle", 3, "two red stars", 2);

    /** Every merge of {@link #SHAPES}, worked out by hand; "a" is a single symbol already. */
    private static final List<SymbolPair> SHAPE_MERGES = List.of(
            // circle (8): five pairs tie at 8, so the lexicographically first pair goes first each time
            pair("c", "i"), pair("c", "l"), pair("ci", "r"), pair("cir", "cl"), pair("circl", "e</w>"),
            // red (7)
            pair("e", "d</w>"), pair("r", "ed</w>"),
            // blue (3)
            pair("b", "l"), pair("bl", "u"), pair("blu", "e</w>"),
            // stars and two (2)
            pair("a", "r"), pair("ar", "s</w>"), pair("s", "t"), pair("st", "ars</w>"), pair("t", "w"), pair("tw", "o</w>"));

    private static final List<String> SIZES = List.of("small", "big");
    private static final List<String> COLOURS = List.of("red", "blue", "green", "yellow");
    private static final List<String> SHAPE_NAMES = List.of("circle", "square", "triangle", "star");
    private static final List<String> BACKGROUNDS = List.of("striped", "dotted", "plain");

    @TempDir
    Path temp;

    @Test
    void mergesTheMostFrequentPairFirstAndBreaksTiesLexicographically() {
        assertEquals(SHAPE_MERGES, BpeTrainer.learnMerges(SHAPES, 10_000));
    }

    @Test
    void stopsAtTheRequestedSize() throws IOException {
        assertEquals(SHAPE_MERGES.subList(0, 5), BpeTrainer.learnMerges(SHAPES, BpeTrainer.MIN_VOCABULARY_SIZE + 5));
        assertEquals(List.of(), BpeTrainer.learnMerges(SHAPES, BpeTrainer.MIN_VOCABULARY_SIZE));

        assertEquals(519, BpeTrainer.train(SHAPES, 519, temp));
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(temp);
        assertEquals(519, tokenizer.vocabSize());
        // circle</w> is the fifth merge (id 512 + 4); "red" is not merged yet: r, e, d</w>
        assertArrayEquals(new int[] {516}, tokenizer.encode("circle"));
        assertArrayEquals(new int[] {81, 68, 323}, tokenizer.encode("red"));
        assertEquals(517, tokenizer.sotId());
        assertEquals(518, tokenizer.eotId());
    }

    @Test
    void stopsWhenNoPairOccursTwice() throws IOException {
        assertEquals(List.of(pair("a", "b</w>")), BpeTrainer.learnMerges(List.of("ab", "ab cd"), 10_000));

        assertEquals(530, BpeTrainer.train(SHAPES, 1000, temp));
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(temp);
        assertEquals(530, tokenizer.vocabSize());
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        SHAPE_MERGES.forEach(merge -> merges.append(merge.left()).append(' ').append(merge.right()).append('\n'));
        assertEquals(merges.toString(), Files.readString(temp.resolve("merges.txt")));
    }

    @Test
    void frequentWordsBecomeSingleTokens() throws IOException {
        int size = BpeTrainer.train(generatedCaptions(), 1000, temp);
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(temp);
        assertTrue(size < 1000, "the corpus runs out of pairs before 1000 tokens, got " + size);
        assertEquals(size, tokenizer.vocabSize());
        List<String> words = new ArrayList<>(List.of("a", "on", "background", "two", "stars", "circles"));
        List.of(SIZES, COLOURS, SHAPE_NAMES, BACKGROUNDS).forEach(words::addAll);
        for (String word : words) {
            int[] ids = tokenizer.encode(word);
            assertEquals(1, ids.length, word + " → " + Arrays.toString(ids));
            assertEquals(word + " ", tokenizer.decode(ids));
        }
        // one token per word, and one for the comma, which the corpus never had
        assertEquals(12, tokenizer.encode("a small red circle on a striped background, two blue stars").length);
    }

    @Test
    void textsInsideAndOutsideTheCorpusRoundTrip() throws IOException {
        BpeTrainer.train(generatedCaptions(), 1000, temp);
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(temp);

        assertEquals("a big green triangle on a dotted background ",
                tokenizer.decode(tokenizer.encode("A big GREEN triangle on a dotted background")));
        // Unseen words fall back to smaller pieces, down to single bytes for characters the corpus never had.
        assertTrue(tokenizer.encode("hexagon").length > 1);
        assertEquals(6, tokenizer.encode("東京").length);
        assertEquals("a huge purple hexagon , 3 times ! naïve 東京 <|endoftext|>",
                tokenizer.decode(tokenizer.encode("A huge  PURPLE hexagon, 3 times! Naïve 東京 <|endoftext|>")));
    }

    @Test
    void markersInTheCorpusAreNotLearned() {
        assertEquals(List.of(pair("h", "i</w>")),
                BpeTrainer.learnMerges(corpus("<|startoftext|>hi<|endoftext|>", 3), 10_000));
    }

    @Test
    void theSameCorpusInAnyOrderGivesIdenticalFiles() throws IOException {
        List<String> captions = generatedCaptions();
        BpeTrainer.train(captions, 600, temp.resolve("first"));
        BpeTrainer.train(captions, 600, temp.resolve("again"));
        List<String> reversed = new ArrayList<>(captions);
        Collections.reverse(reversed);
        BpeTrainer.train(reversed, 600, temp.resolve("reversed"));
        for (String file : List.of("vocab.json", "merges.txt")) {
            byte[] first = Files.readAllBytes(temp.resolve("first").resolve(file));
            assertArrayEquals(first, Files.readAllBytes(temp.resolve("again").resolve(file)), file);
            assertArrayEquals(first, Files.readAllBytes(temp.resolve("reversed").resolve(file)), file);
        }
    }

    @Test
    void rejectsATooSmallVocabularyAndAnEmptyCorpus() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.learnMerges(SHAPES, 513));
        assertEquals("the vocabulary size must be at least 514 (256 byte symbols, the same 256 ending a word, and the "
                + "start and end markers), got 513", tooSmall.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.train(List.of(), 1000, temp));
        assertEquals("the corpus is empty: there is no text to learn from", empty.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.learnMerges(List.of(" ", "\t\n"), 1000));
        assertEquals("none of the 2 texts of the corpus contains a word to learn from", blank.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.learnMerges(Arrays.asList("a dog", null), 1000));
        assertEquals("text 2 of the corpus is null", missing.getMessage());
        assertTrue(Files.notExists(temp.resolve("vocab.json")));
    }

    /** "a small red circle on a striped background" for every combination, then "two red circles" for each pair. */
    private static List<String> generatedCaptions() {
        List<String> captions = new ArrayList<>();
        for (String size : SIZES) {
            for (String colour : COLOURS) {
                for (String shape : SHAPE_NAMES) {
                    for (String background : BACKGROUNDS) {
                        captions.add("a " + size + " " + colour + " " + shape + " on a " + background + " background");
                    }
                }
            }
        }
        for (String colour : COLOURS) {
            for (String shape : SHAPE_NAMES) {
                captions.add("two " + colour + " " + shape + "s");
            }
        }
        return captions;
    }

    /** Each text repeated its count of times: {@code corpus("x", 2, "y", 1)} is x, x, y. */
    private static List<String> corpus(Object... textsAndCounts) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < textsAndCounts.length; i += 2) {
            texts.addAll(Collections.nCopies((Integer) textsAndCounts[i + 1], (String) textsAndCounts[i]));
        }
        return texts;
    }

    private static SymbolPair pair(String left, String right) {
        return new SymbolPair(left, right);
    }
}
