package org.clipwb.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyFilesTest {
    @TempDir
    Path temp;

    @Test
    void byteLevelVocabularyHasOpenAisFirst512TokensAndLoads() throws IOException {
        VocabularyFiles.writeByteLevel(temp);
        JsonNode written = new ObjectMapper().readTree(temp.resolve("vocab.json").toFile());
        JsonNode real = new ObjectMapper().readTree(TestData.clipTokenizer().resolve("vocab.json").toFile());
        assertEquals(514, written.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().asInt() < 512) {
                assertEquals(real.get(entry.getKey()).asInt(), entry.getValue().asInt(), entry.getKey());
            }
        }
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(temp);
        assertEquals(512, tokenizer.sotId());
        assertEquals(513, tokenizer.eotId());
        // "hi!" → h, i</w>, !</w>: ids as in OpenAI's vocabulary (h = 71, i</w> = 72 + 256, !</w> = 0 + 256)
        assertArrayEquals(new int[] {71, 328, 256}, tokenizer.encode("hi!"));
        assertEquals("hi ! ", tokenizer.decode(tokenizer.encode("hi!")));
        assertEquals("#version: 0.2\n", java.nio.file.Files.readString(temp.resolve("merges.txt"),
                StandardCharsets.UTF_8));
    }
}
