package org.clipwb.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.clipwb.core.model.Clip;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageEmbedderTest {
    private static Clip clip;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadModel() throws IOException {
        clip = Clip.load(TestData.tinyClip().resolve("hf"), "tiny", Device.cpu());
    }

    @AfterAll
    static void closeModel() {
        clip.close();
    }

    @Test
    void secondRunComesFromTheCacheWithoutModelWork() throws Exception {
        List<Path> files = fixtureImages();
        Path db = temp.resolve("cache.sqlite");
        float[][] first;
        try (EmbeddingCache cache = EmbeddingCache.open(db)) {
            ImageEmbedder.Result result = new ImageEmbedder(clip, cache, 4, 2).embed(files, (d, t) -> { });
            assertEquals(7, result.computed());
            assertEquals(0, result.fromCache());
            first = result.embeddings();
        }
        try (EmbeddingCache cache = EmbeddingCache.open(db)) {
            List<Integer> reported = new ArrayList<>();
            ImageEmbedder.Result result = new ImageEmbedder(clip, cache, 4, 2).embed(files,
                    (done, total) -> reported.add(done));
            assertEquals(0, result.computed());
            assertEquals(7, result.fromCache());
            for (int i = 0; i < files.size(); i++) {
                assertArrayEquals(first[i], result.embeddings()[i], 0f);
            }
            assertEquals(7, reported.get(reported.size() - 1));
        }
    }

    @Test
    void badFilesAreReportedAndSkippedWithoutAbortingTheRun() throws Exception {
        List<Path> files = new ArrayList<>(fixtureImages());
        Path empty = Files.write(temp.resolve("empty.jpg"), new byte[0]);
        Path text = Files.writeString(temp.resolve("notes.png"), "not a picture");
        Path truncated = temp.resolve("truncated.jpg");
        byte[] jpeg = Files.readAllBytes(TestData.tinyClip().resolve("images/tall_rgb.jpg"));
        Files.write(truncated, java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Path missing = temp.resolve("gone.png");
        files.add(1, empty);
        files.add(text);
        files.add(truncated);
        files.add(missing);
        for (boolean withCache : new boolean[] {false, true}) {
            try (EmbeddingCache cache = withCache ? EmbeddingCache.open(temp.resolve("c.sqlite")) : null) {
                AtomicInteger last = new AtomicInteger();
                ImageEmbedder.Result result = new ImageEmbedder(clip, cache, 3, 2).embed(files,
                        (done, total) -> last.set(done));
                assertEquals(4, result.failures().size(), result.failures().toString());
                assertEquals(files.size(), last.get(), "every file counts towards progress");
                for (int i = 0; i < files.size(); i++) {
                    boolean bad = List.of(empty, text, truncated, missing).contains(files.get(i));
                    if (bad) {
                        assertNull(result.embeddings()[i], files.get(i).toString());
                    } else {
                        assertNotNull(result.embeddings()[i], files.get(i).toString());
                    }
                }
                String reasons = result.failures().toString();
                assertTrue(reasons.contains("empty"), reasons);
                assertTrue(reasons.contains("gone.png"), reasons);
            }
        }
    }

    @Test
    void interruptingTheCallerCancelsTheRun() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.addAll(fixtureImages());
        }
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class,
                    () -> new ImageEmbedder(clip, null, 2, 1).embed(files, (d, t) -> { }));
        } finally {
            Thread.interrupted();
        }
    }

    private static List<Path> fixtureImages() throws IOException {
        try (var stream = Files.list(TestData.tinyClip().resolve("images"))) {
            return stream.sorted().toList();
        }
    }
}
