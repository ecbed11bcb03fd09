package org.clipwb.core.adapt.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.Digests;

/**
 * The results benchmark's memory: one result per (target draw, row, seed), in a JSON file of the work folder, keyed
 * by everything that decides the result (the draw, the model, the row's method and settings, and the version of the
 * code that ran it). A result whose key still matches is reused; a changed method gets a new key and runs again.
 * Each result is written as soon as it exists, atomically, so a killed benchmark loses at most the run in progress.
 */
final class ResultCache {
    /** The cache file in the work folder. */
    static final String FILE = "results-cache.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What decides one result; its digest is the cache key.
     *
     * @param draw        the target and test draws: project, streams, images per class, world version
     * @param model       the model's fingerprint
     * @param row         the row's id
     * @param method      the method that ran and its settings, as text
     * @param codeVersion {@link CodeVersion} of the packages the row's code lives in
     * @param seed        the method's seed
     */
    record Key(String draw, String model, String row, String method, String codeVersion, long seed) {
        String digest() {
            return Digests.hex(digestOf(String.join("\n", draw, model, row, method, codeVersion, Long.toString(seed))));
        }

        private static java.security.MessageDigest digestOf(String text) {
            java.security.MessageDigest digest = Digests.sha256();
            digest.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return digest;
        }
    }

    /**
     * One result: balanced accuracies on the unlabeled target and the held-out test set (fractions), and the run's
     * wall time in seconds; {@code key} and {@code run} say where it came from.
     */
    record Result(Key key, String run, double target, double test, double seconds, String finished) {
    }

    private final Path file;
    private final Map<String, Result> results;

    private ResultCache(Path file, Map<String, Result> results) {
        this.file = file;
        this.results = results;
    }

    /** The cache of {@code workFolder}, empty when it has none yet. */
    static ResultCache open(Path workFolder) throws IOException {
        Path file = workFolder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new ResultCache(file, new TreeMap<>());
        }
        try {
            return new ResultCache(file, new TreeMap<>(JSON.readValue(file.toFile(),
                    new TypeReference<Map<String, Result>>() { })));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not a results cache (" + e.getOriginalMessage() + "); move it away to "
                    + "start afresh", e);
        }
    }

    /** The stored result of {@code key}, when there is one. */
    Optional<Result> get(Key key) {
        return Optional.ofNullable(results.get(key.digest()));
    }

    /** Stores a result and writes the cache file at once. */
    void put(Result result) throws IOException {
        results.put(result.key().digest(), result);
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(results));
    }
}
