package org.clipwb.core.describe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.util.AtomicFiles;

/**
 * The descriptions obtained so far, in {@code descriptions.json} of a folder, so that a rerun asks only for what is
 * missing. Each is kept under its kind, subject, prompt and provider: another prompt or provider asks again and
 * both answers stay. New descriptions are written at most a second apart and on {@link #save()}, always atomically,
 * so a crash loses at most a second of work and never the file. Not thread-safe.
 */
public final class DescriptionStore {
    /** The store's file name in its folder. */
    public static final String FILE_NAME = "descriptions.json";

    private static final int FORMAT = 1;
    private static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's layout. */
    private record Contents(int format, List<StoredDescription> descriptions) {
    }

    private record Key(DescriptionKind kind, String subject, String prompt, String provider) {
        static Key of(StoredDescription description) {
            return new Key(description.kind(), description.subject(), description.prompt(), description.provider());
        }
    }

    private final Path file;
    private final Map<Key, StoredDescription> descriptions = new LinkedHashMap<>();
    private boolean unsaved;
    private long lastSaveNanos = System.nanoTime();

    private DescriptionStore(Path file) {
        this.file = file;
    }

    /**
     * Opens the store of {@code folder}, reading what an earlier run kept; the folder and file are created on the
     * first save.
     *
     * @throws IOException if the file exists but is not a descriptions store (it is left as it is)
     */
    public static DescriptionStore open(Path folder) throws IOException {
        DescriptionStore store = new DescriptionStore(folder.resolve(FILE_NAME));
        if (Files.exists(store.file)) {
            Contents contents;
            try {
                contents = JSON.readValue(store.file.toFile(), Contents.class);
            } catch (JsonProcessingException e) {
                throw new DescriptionException(store.file + " is not a descriptions store (" + e.getOriginalMessage()
                        + "); move it aside to start afresh", e);
            }
            if (contents.format() != FORMAT || contents.descriptions() == null) {
                throw new DescriptionException(store.file + " is not a descriptions store of format " + FORMAT
                        + " (format " + contents.format() + (contents.descriptions() == null ? ", no descriptions" : "")
                        + "); move it aside to start afresh");
            }
            contents.descriptions().forEach(description -> store.descriptions.put(Key.of(description), description));
        }
        return store;
    }

    /** The store's file. */
    public Path file() {
        return file;
    }

    /** Everything kept, oldest first. */
    public List<StoredDescription> descriptions() {
        return List.copyOf(descriptions.values());
    }

    /** The texts kept for this subject, prompt and provider. */
    public Optional<List<String>> find(DescriptionKind kind, String subject, String prompt, String provider) {
        return Optional.ofNullable(descriptions.get(new Key(kind, subject, prompt, provider)))
                .map(StoredDescription::texts);
    }

    /** Keeps a new description, replacing one under the same key; writes the file if the last write is a second old. */
    void add(StoredDescription description) throws IOException {
        descriptions.put(Key.of(description), description);
        unsaved = true;
        if (System.nanoTime() - lastSaveNanos >= SAVE_INTERVAL.toNanos()) {
            save();
        }
    }

    /** Writes what is not yet on disk. */
    public void save() throws IOException {
        if (!unsaved) {
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(new Contents(FORMAT, new ArrayList<>(descriptions.values())));
        AtomicFiles.write(file, bytes);
        unsaved = false;
        lastSaveNanos = System.nanoTime();
    }
}
