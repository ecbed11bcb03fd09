package org.clipwb.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad tokenizer files give an error naming the file, the line and the problem. */
class ClipTokenizerLoadingTest {
    @TempDir
    Path dir;
    private Path vocab;
    private Path merges;

    @BeforeEach
    void copyTheTinyVocabulary() throws IOException {
        vocab = Files.copy(TestData.tinyClip().resolve("hf/vocab.json"), dir.resolve("vocab.json"));
        merges = Files.copy(TestData.tinyClip().resolve("hf/merges.txt"), dir.resolve("merges.txt"));
    }

    @Test
    void theUntouchedCopyLoads() throws IOException {
        assertEquals(634, ClipTokenizer.fromDirectory(dir).vocabSize());
    }

    @Test
    void theVocabularyFactsAgreeWithTheLoadedTokenizer() throws IOException {
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(dir);
        assertEquals(new ClipTokenizer.VocabularyFacts(tokenizer.vocabSize(), tokenizer.eotId()),
                ClipTokenizer.vocabularyFacts(dir));
    }

    @Test
    void theVocabularyFactsNeedTheEndMarker() throws IOException {
        rewriteVocabulary("\"<|endoftext|>\": 633", "");
        IOException error = assertThrows(IOException.class, () -> ClipTokenizer.vocabularyFacts(dir));
        assertEquals(vocab + ": has no entry for <|endoftext|>; a CLIP vocabulary must define both <|startoftext|> and "
                + "<|endoftext|>", error.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Files.delete(merges);
        NoSuchFileException error = assertThrows(NoSuchFileException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertEquals(merges + ": the CLIP tokenizer's merge list (merges.txt) is missing or not a file", error.getMessage());

        error = assertThrows(NoSuchFileException.class, () -> ClipTokenizer.fromDirectory(dir.resolve("absent")));
        assertEquals(dir.resolve("absent/vocab.json") + ": the CLIP tokenizer's vocabulary (vocab.json) is missing or not a file",
                error.getMessage());
    }

    @Test
    void aMergeLineWithOneSymbolIsRejectedWithItsLineNumber() throws IOException {
        replaceMergeLine(3, "or");
        assertLoadFails(merges + " line 3: expected two symbols separated by a space, found 1 in \"or\"");
    }

    @Test
    void aMergeListWithoutHeaderIsRejected() throws IOException {
        List<String> lines = Files.readAllLines(merges);
        Files.write(merges, lines.subList(1, lines.size()));
        assertLoadFails(merges + " line 1: expected the header line '#version: ...' of a BPE merge list");
    }

    @Test
    void aMergeWhoseResultIsNotInTheVocabularyIsRejected() throws IOException {
        replaceMergeLine(3, "q z");
        assertLoadFails(merges + " line 3: the merge \"q z\" makes \"qz\", which " + vocab
                + " lacks; the two files do not belong together");
    }

    @Test
    void aRepeatedMergeIsRejected() throws IOException {
        replaceMergeLine(4, "o r");
        assertLoadFails(merges + " line 4: the merge \"o r\" already appears on line 2");
    }

    @Test
    void aVocabularyWithoutTheEndMarkerIsRejected() throws IOException {
        rewriteVocabulary("\"<|endoftext|>\": 633", "");
        assertLoadFails(vocab + ": has no entry for <|endoftext|>; a CLIP vocabulary must define both <|startoftext|> and <|endoftext|>");
    }

    @Test
    void aVocabularyWithoutTheStartMarkerIsRejected() throws IOException {
        rewriteVocabulary("\"<|startoftext|>\": 632", "\"<|other|>\": 632");
        assertLoadFails(vocab + ": has no entry for <|startoftext|>; a CLIP vocabulary must define both <|startoftext|> and <|endoftext|>");
    }

    @Test
    void malformedJsonIsRejectedWithItsLine() throws IOException {
        Files.writeString(vocab, "{\n  \"a\": 0,\n  \"b\" 1\n}\n");
        IOException error = assertThrows(IOException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertEquals(true, error.getMessage().startsWith(vocab + " line 3, column 7: not valid JSON: "), error.getMessage());
    }

    @Test
    void idsMustBeNonNegativeIntegersWithoutGapsOrRepeats() throws IOException {
        Files.writeString(vocab, "{\n  \"a\": 0,\n  \"b\": \"1\"\n}\n");
        assertLoadFails(vocab + " line 3, column 8: token \"b\" has id \"1\"; ids must be non-negative integers");

        Files.writeString(vocab, "{\n  \"a\": 0,\n  \"b\": 2\n}\n");
        assertLoadFails(vocab + " line 3, column 8: token \"b\" has id 2, but the 2 tokens must have the ids 0..1");

        Files.writeString(vocab, "{\n  \"a\": 0,\n  \"b\": 0\n}\n");
        assertLoadFails(vocab + " line 3, column 8: id 0 of token \"b\" is already used by \"a\"");

        // vocab.json files usually hold everything on one line, so the column matters.
        Files.writeString(vocab, "{\"a\": 0, \"a\": 1}");
        assertLoadFails(vocab + " line 1, column 15: token \"a\" already appears at line 1, column 7");
    }

    @Test
    void aVocabularyWithoutByteSymbolsIsNotAClipVocabulary() throws IOException {
        Files.writeString(vocab, "{\"<|startoftext|>\": 0, \"<|endoftext|>\": 1}");
        assertLoadFails(vocab + ": has no entry for the byte symbol \"\u0100\" (byte 0); this is not a CLIP byte-level BPE vocabulary");
    }

    @Test
    void mergesThatAreNotUtf8AreRejected() throws IOException {
        Files.write(merges, new byte[] {'#', 'v', 'e', 'r', 's', 'i', 'o', 'n', '\n', 'o', ' ', 'r', '\n', (byte) 0xC3, ' ', 'x', '\n'});
        assertLoadFails(merges + " line 3: not valid UTF-8 text");
    }

    private void replaceMergeLine(int lineNumber, String replacement) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(merges));
        lines.set(lineNumber - 1, replacement);
        Files.write(merges, lines);
    }

    private void rewriteVocabulary(String entry, String replacement) throws IOException {
        String json = Files.readString(vocab, StandardCharsets.UTF_8);
        String changed = json.replace(", " + entry, replacement.isEmpty() ? "" : ", " + replacement);
        assertEquals(false, changed.equals(json), "the fixture's vocab.json no longer contains " + entry);
        Files.writeString(vocab, changed, StandardCharsets.UTF_8);
    }

    private void assertLoadFails(String message) {
        IOException error = assertThrows(IOException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertEquals(message, error.getMessage());
    }
}
