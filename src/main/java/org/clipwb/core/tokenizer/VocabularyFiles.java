package org.clipwb.core.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.util.AtomicFiles;

/**
 * Writes a CLIP tokenizer's {@code vocab.json} and {@code merges.txt} in OpenAI's layout: the 256 byte symbols (in
 * {@code bytes_to_unicode} order), the same with {@code </w>}, one token per merge, then the start and end markers.
 */
public final class VocabularyFiles {
    private VocabularyFiles() {
    }

    /**
     * A vocabulary of byte symbols only (no merges): every text tokenizes to one token per UTF-8 byte. Enough for
     * models whose text tower is irrelevant, such as image-throughput benchmarks.
     */
    public static void writeByteLevel(Path dir) throws IOException {
        write(dir, List.of());
    }

    /** Writes both files for the given merges, in rank order. */
    static void write(Path dir, List<SymbolPair> merges) throws IOException {
        List<String> bytes = ByteLevelAlphabet.symbolsInVocabularyOrder();
        List<String> tokens = new ArrayList<>(bytes);
        bytes.forEach(symbol -> tokens.add(symbol + PreTokenizer.END_OF_WORD));
        StringBuilder mergesText = new StringBuilder("#version: 0.2\n");
        for (SymbolPair merge : merges) {
            tokens.add(merge.merged());
            mergesText.append(merge.left()).append(' ').append(merge.right()).append('\n');
        }
        tokens.add(ClipTokenizer.START_OF_TEXT);
        tokens.add(ClipTokenizer.END_OF_TEXT);
        ObjectMapper json = new ObjectMapper();
        ObjectNode vocabulary = json.createObjectNode();
        for (int id = 0; id < tokens.size(); id++) {
            vocabulary.put(tokens.get(id), id);
        }
        AtomicFiles.write(dir.resolve("vocab.json"), json.writeValueAsBytes(vocabulary));
        AtomicFiles.write(dir.resolve("merges.txt"), mergesText.toString().getBytes(StandardCharsets.UTF_8));
    }
}
