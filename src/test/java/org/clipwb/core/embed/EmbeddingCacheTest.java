package org.clipwb.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    @TempDir
    Path temp;

    @Test
    void storesVectorsPerModelAndContentAcrossReopen() throws IOException {
        Path db = temp.resolve("cache/embeddings.sqlite");
        try (EmbeddingCache cache = EmbeddingCache.open(db)) {
            cache.put("model-a", Map.of("k1", new float[] {1, 2, 3}, "k2", new float[] {-0.5f, 0, 0.25f}));
            cache.put("model-b", Map.of("k1", new float[] {9, 9, 9}));
        }
        try (EmbeddingCache cache = EmbeddingCache.open(db)) {
            Map<String, float[]> found = cache.get("model-a", List.of("k1", "k2", "k3"));
            assertEquals(2, found.size());
            assertArrayEquals(new float[] {-0.5f, 0, 0.25f}, found.get("k2"));
            assertArrayEquals(new float[] {9, 9, 9}, cache.get("model-b", List.of("k1")).get("k1"));
            assertEquals(2, cache.count("model-a"));
        }
    }

    @Test
    void contentKeyFollowsBytesNotNames() throws IOException {
        Path a = temp.resolve("a.jpg");
        Path b = temp.resolve("b.jpg");
        Files.write(a, new byte[] {1, 2, 3});
        Files.write(b, new byte[] {1, 2, 3});
        try (EmbeddingCache cache = EmbeddingCache.open(temp.resolve("e.sqlite"))) {
            String keyA = cache.contentKey(a);
            assertEquals(org.clipwb.core.util.Digests.sha256(a), keyA);
            assertEquals(keyA, cache.contentKey(b));
            Files.write(a, new byte[] {1, 2, 4});
            Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
            assertNotEquals(keyA, cache.contentKey(a), "a changed file gets a new key");
        }
    }

    @Test
    void corruptDatabaseIsMovedAsideAndRebuilt() throws IOException {
        Path db = temp.resolve("e.sqlite");
        Files.write(db, "this is not a database, just some bytes that SQLite will refuse".repeat(100).getBytes());
        try (EmbeddingCache cache = EmbeddingCache.open(db)) {
            cache.put("m", Map.of("k", new float[] {1}));
            assertEquals(1, cache.count("m"));
        }
        try (var files = Files.list(temp)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("e.sqlite.corrupt-")));
        }
    }
}
