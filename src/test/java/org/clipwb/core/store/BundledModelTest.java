package org.clipwb.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction of a bundled model from the classpath, on class loaders over temporary folders so that the bundled files
 * can be missing or change between "builds".
 */
@Timeout(30)
class BundledModelTest {
    private static final String RESOURCES = "models/tiny/";

    @TempDir
    Path temp;

    @Test
    void extractsEveryFileByteForByteIntoAFolderNamedByTheirDigest() throws IOException {
        Path build = build("build", TestData.tinyClip().resolve("hf"));
        BundledModel model = bundled(build);
        Path root = temp.resolve("bundled");

        Path folder = model.extract(root);

        assertEquals(root.resolve("tiny-" + model.digest().substring(0, 12)), folder);
        assertEquals(64, model.digest().length());
        for (String file : BundledModel.FILES) {
            assertEquals(-1, Files.mismatch(build.resolve(RESOURCES + file), folder.resolve(file)), file);
        }
        assertEquals(List.of(folder), entries(root), "no temporary folder is left behind");
    }

    @Test
    void changedBundledFilesGoToANewFolder() throws IOException {
        Path first = build("first", TestData.tinyClip().resolve("hf"));
        Path second = build("second", TestData.tinyClip().resolve("hf"));
        Files.writeString(second.resolve(RESOURCES + "config.json"),
                Files.readString(second.resolve(RESOURCES + "config.json")) + "\n");
        Path root = temp.resolve("bundled");

        Path firstFolder = bundled(first).extract(root);
        Path secondFolder = bundled(second).extract(root);

        assertNotEquals(firstFolder, secondFolder, "a config change alone is a new model");
        assertEquals(-1, Files.mismatch(second.resolve(RESOURCES + "config.json"), secondFolder.resolve("config.json")));
        assertEquals(firstFolder, bundled(build("again", TestData.tinyClip().resolve("hf"))).extract(root),
                "the same files in another build reuse the folder");
    }

    @Test
    void aMissingResourceIsAClearErrorAndExtractsNothing() throws IOException {
        Path build = build("build", TestData.tinyClip().resolve("hf"));
        Files.delete(build.resolve(RESOURCES + "merges.txt"));
        Path root = temp.resolve("bundled");

        ModelStoreException error = assertThrows(ModelStoreException.class, () -> bundled(build).extract(root));

        assertTrue(error.getMessage().contains("the bundled tiny model is incomplete"), error.getMessage());
        assertTrue(error.getMessage().contains(RESOURCES + "merges.txt is not on the classpath"), error.getMessage());
        assertTrue(!Files.exists(root) || entries(root).isEmpty());
    }

    @Test
    void aFolderMissingAFileIsExtractedAgain() throws IOException {
        BundledModel model = bundled(build("build", TestData.tinyClip().resolve("hf")));
        Path root = temp.resolve("bundled");
        Path folder = model.extract(root);
        Files.delete(folder.resolve("model.safetensors"));

        assertEquals(folder, model.extract(root));

        assertTrue(Files.isRegularFile(folder.resolve("model.safetensors")));
        assertEquals(List.of(folder), entries(root));
    }

    @Test
    void concurrentFirstUsesAllGetTheOneCompleteFolder() throws Exception {
        Path build = build("build", TestData.tinyClip().resolve("hf"));
        Path root = temp.resolve("bundled");
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // One model object each, as separate processes would have.
                BundledModel model = bundled(build);
                Callable<Path> extract = () -> {
                    start.await();
                    return model.extract(root);
                };
                results.add(pool.submit(extract));
            }
            start.countDown();
            Path folder = results.get(0).get();
            for (Future<Path> result : results) {
                assertEquals(folder, result.get());
            }
            for (String file : BundledModel.FILES) {
                assertEquals(-1, Files.mismatch(build.resolve(RESOURCES + file), folder.resolve(file)), file);
            }
            assertEquals(List.of(folder), entries(root), "the losers' temporary folders are gone");
        } finally {
            pool.shutdownNow();
        }
    }

    /** A classpath root holding the model files of {@code source} under {@link #RESOURCES}. */
    private Path build(String name, Path source) throws IOException {
        Path root = temp.resolve(name);
        Path folder = Files.createDirectories(root.resolve(RESOURCES));
        for (String file : BundledModel.FILES) {
            Files.copy(source.resolve(file), folder.resolve(file));
        }
        return root;
    }

    private static BundledModel bundled(Path classpathRoot) throws IOException {
        ClassLoader loader = new URLClassLoader(new URL[] {classpathRoot.toUri().toURL()}, null);
        return new BundledModel("tiny", loader, RESOURCES);
    }

    private static List<Path> entries(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        }
    }
}
