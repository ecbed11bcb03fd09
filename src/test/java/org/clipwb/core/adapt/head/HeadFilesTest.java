package org.clipwb.core.adapt.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.clipwb.core.model.SafetensorsWriter;
import org.clipwb.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CLASSES = List.of("cat", "dog", "golden retriever");
    private static final SplittableRandom RANDOM = new SplittableRandom(17);
    private static final float[][] TEXTS = Vectors.randomUnit(RANDOM, 3, 6);
    private static final float[][] IMAGES = Vectors.randomUnit(RANDOM, 5, 6);

    @TempDir
    Path temp;

    private static List<ClassifierHead> heads() {
        float[][] square = Vectors.randomUnit(RANDOM, 6, 6);
        return List.of(
                new CosineHead(TEXTS, 42.5f),
                new LinearHead(Vectors.randomUnit(RANDOM, 3, 6), new float[] {0.1f, -0.2f, 0.3f}),
                new LluHead(square, new float[] {0.01f, 0, -0.02f, 0, 0.03f, 0}, Vectors.randomUnit(RANDOM, 4, 6),
                        TEXTS, 0.5, 20, true, 100),
                new TipAdapterHead(Vectors.randomUnit(RANDOM, 4, 6), new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1},
                    {1, 0, 0}}, TEXTS, 1.17, 5.5, 100));
    }

    @Test
    void everyKindOfHeadReadsBackWithIdenticalProbabilities() throws IOException {
        for (ClassifierHead head : heads()) {
            Path dir = temp.resolve(head.kind());
            assertFalse(HeadFiles.exists(dir));
            HeadFiles.save(head, CLASSES, dir);
            assertTrue(HeadFiles.exists(dir));
            HeadFiles.Saved saved = HeadFiles.load(dir);
            assertEquals(head.kind(), saved.head().kind());
            assertEquals(head.getClass(), saved.head().getClass());
            assertEquals(CLASSES, saved.classNames());
            assertEquals(head.scalars(), saved.head().scalars(), head.kind());
            assertEquals(head.tensors().keySet(), saved.head().tensors().keySet());
            float[][] expected = head.probabilities(IMAGES);
            float[][] actual = saved.head().probabilities(IMAGES);
            for (int i = 0; i < IMAGES.length; i++) {
                assertArrayEquals(expected[i], actual[i], head.kind() + " image " + i);
            }
        }
    }

    @Test
    void classNamesMustMatchTheHead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeadFiles.save(new CosineHead(TEXTS, 1), List.of("a", "b"), temp.resolve("h")));
        assertEquals("2 class names for a head of 3 classes", e.getMessage());
    }

    private Path saved(ClassifierHead head) throws IOException {
        Path dir = temp.resolve("saved");
        HeadFiles.save(head, CLASSES, dir);
        return dir;
    }

    private static void editJson(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve(HeadFiles.JSON_FILE);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        JSON.writeValue(file.toFile(), root);
    }

    private static String loadError(Path dir) {
        return assertThrows(IOException.class, () -> HeadFiles.load(dir)).getMessage();
    }

    @Test
    void anUnknownKindNamesTheFile() throws IOException {
        Path dir = saved(new CosineHead(TEXTS, 10));
        editJson(dir, root -> root.put("kind", "hyper-adapter"));
        String message = loadError(dir);
        assertTrue(message.startsWith(dir.resolve(HeadFiles.JSON_FILE) + ": unknown classifier kind 'hyper-adapter'"),
                message);
    }

    @Test
    void aMissingTensorIsNamedWithItsFile() throws IOException {
        Path dir = saved(heads().get(3));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new TreeMap<>();
            heads().get(3).tensors().forEach((name, tensor) -> {
                if (!name.equals("keys")) {
                    arrays.put(name, tensor.toArray(manager));
                }
            });
            SafetensorsWriter.write(dir.resolve(HeadFiles.TENSORS_FILE), arrays, Map.of());
        }
        String message = loadError(dir);
        assertTrue(message.contains(dir.resolve(HeadFiles.TENSORS_FILE).toString()), message);
        assertTrue(message.contains("'keys'"), message);
        assertTrue(message.contains("tip-adapter"), message);
    }

    @Test
    void aMissingScalarIsNamedWithItsFile() throws IOException {
        Path dir = saved(heads().get(2));
        editJson(dir, root -> ((ObjectNode) root.get("scalars")).remove("gamma"));
        String message = loadError(dir);
        assertTrue(message.contains(dir.resolve(HeadFiles.JSON_FILE).toString()), message);
        assertTrue(message.contains("'gamma'"), message);
    }

    @Test
    void aClassCountThatDisagreesWithTheTensorsIsRefused() throws IOException {
        Path dir = saved(new CosineHead(TEXTS, 10));
        editJson(dir, root -> root.putArray("classes").add("cat").add("dog"));
        assertEquals(dir.resolve(HeadFiles.JSON_FILE) + " names 2 classes but its tensors have 3", loadError(dir));
    }

    @Test
    void missingOrMalformedFilesAreNamed() throws IOException {
        Path dir = saved(new CosineHead(TEXTS, 10));
        Files.writeString(dir.resolve(HeadFiles.JSON_FILE), "{\"kind\": \"cosine\", ");
        assertTrue(loadError(dir).contains(dir.resolve(HeadFiles.JSON_FILE).toString()), loadError(dir));
        Files.delete(dir.resolve(HeadFiles.JSON_FILE));
        assertTrue(loadError(dir).contains(dir.resolve(HeadFiles.JSON_FILE).toString()), loadError(dir));
        assertFalse(HeadFiles.exists(dir));

        Path other = temp.resolve("other");
        HeadFiles.save(new CosineHead(TEXTS, 10), CLASSES, other);
        Files.delete(other.resolve(HeadFiles.TENSORS_FILE));
        assertTrue(loadError(other).contains(other.resolve(HeadFiles.TENSORS_FILE).toString()), loadError(other));
    }
}
