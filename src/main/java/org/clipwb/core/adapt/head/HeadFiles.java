package org.clipwb.core.adapt.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.clipwb.core.model.SafetensorsFile;
import org.clipwb.core.model.SafetensorsWriter;
import org.clipwb.core.util.AtomicFiles;

/**
 * Saves a {@link ClassifierHead} with its class names as {@code head.json} (kind, classes, scalars) and
 * {@code head.safetensors} (tensors) in a folder, and loads it back. Both files are written atomically; the JSON,
 * which says what the tensors are, is written last.
 */
public final class HeadFiles {
    /** The description file of a saved head. */
    public static final String JSON_FILE = "head.json";
    /** The tensors of a saved head. */
    public static final String TENSORS_FILE = "head.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeadFiles() {
    }

    /** A loaded head and the class names it scores, in order. */
    public record Saved(ClassifierHead head, List<String> classNames) {
    }

    /** Whether {@code dir} holds a saved head. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(JSON_FILE)) && Files.isRegularFile(dir.resolve(TENSORS_FILE));
    }

    /** Writes {@code head} and the names of its classes into {@code dir} (created if needed). */
    public static void save(ClassifierHead head, List<String> classNames, Path dir) throws IOException {
        if (classNames.size() != head.classCount()) {
            throw new IllegalArgumentException(classNames.size() + " class names for a head of " + head.classCount()
                    + " classes");
        }
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new TreeMap<>();
            head.tensors().forEach((name, tensor) -> arrays.put(name, tensor.toArray(manager)));
            SafetensorsWriter.write(dir.resolve(TENSORS_FILE), arrays, Map.of("format", "pt"));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", head.kind());
        classNames.forEach(root.putArray("classes")::add);
        ObjectNode scalars = root.putObject("scalars");
        new TreeMap<>(head.scalars()).forEach(scalars::put);
        AtomicFiles.write(dir.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /**
     * Reads a head saved by {@link #save}.
     *
     * @throws IOException naming the file when it is missing, malformed, of an unknown kind or lacks a tensor
     */
    public static Saved load(Path dir) throws IOException {
        Path jsonFile = dir.resolve(JSON_FILE);
        Path tensorsFile = dir.resolve(TENSORS_FILE);
        JsonNode root;
        try {
            root = JSON.readTree(jsonFile.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(jsonFile + " is not a saved classifier's JSON: " + e.getOriginalMessage(), e);
        }
        String kind = root.path("kind").asText();
        List<String> classes = new ArrayList<>();
        root.path("classes").forEach(name -> classes.add(name.asText()));
        Map<String, Double> storedScalars = new LinkedHashMap<>();
        root.path("scalars").fields().forEachRemaining(entry -> storedScalars.put(entry.getKey(),
                entry.getValue().asDouble()));
        Map<String, ClassifierHead.Tensor> storedTensors = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(tensorsFile);
                NDManager manager = NDManager.newBaseManager()) {
            for (String name : file.tensors().keySet()) {
                NDArray array = file.read(name, manager);
                storedTensors.put(name, new ClassifierHead.Tensor(array.toFloatArray(), array.getShape().getShape()));
            }
        }
        // The heads' restore methods read these views, which name the file and the entry when one is missing.
        Map<String, ClassifierHead.Tensor> tensors = required(storedTensors, tensorsFile + " has no tensor");
        Map<String, Double> scalars = required(storedScalars, jsonFile + " has no scalar");
        ClassifierHead head;
        try {
            head = HeadKind.named(kind).orElseThrow(() -> new IOException(jsonFile + ": unknown classifier kind '"
                    + kind + "' (known: " + HeadKind.known() + "); was it written by a newer workbench?"))
                    .restore(tensors, scalars);
        } catch (MissingEntry e) {
            throw new IOException(e.getMessage() + ", which a " + kind + " classifier needs (has it been edited or "
                    + "copied from another run?)", e);
        }
        if (head.classCount() != classes.size()) {
            throw new IOException(jsonFile + " names " + classes.size() + " classes but its tensors have "
                    + head.classCount());
        }
        return new Saved(head, List.copyOf(classes));
    }

    /** What a {@link #required} view throws for an entry its file lacks. */
    private static final class MissingEntry extends RuntimeException {
        MissingEntry(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A read-only view of {@code entries} for the heads' {@code restore} methods, whose {@code get} throws
     * {@link MissingEntry} ("{@code where} 'name'") instead of returning null for an entry the saved files lack.
     */
    private static <V> Map<String, V> required(Map<String, V> entries, String where) {
        return new AbstractMap<>() {
            @Override
            public V get(Object key) {
                V value = entries.get(key);
                if (value == null) {
                    throw new MissingEntry(where + " '" + key + "'");
                }
                return value;
            }

            @Override
            public Set<Map.Entry<String, V>> entrySet() {
                return Collections.unmodifiableMap(entries).entrySet();
            }
        };
    }
}
