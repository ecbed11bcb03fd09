package org.clipwb.core.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.model.SafetensorsFile;
import org.clipwb.core.model.SafetensorsWriter;

/**
 * A run's folder: one checkpoint file per phase ({@code checkpoints/<phase>.safetensors}, tensors plus the small
 * values in the file's metadata), replaced atomically at the end of every epoch and of the phase, so a killed run
 * finds the last complete state and nothing half-written.
 */
public final class RunStore {
    private static final String EPOCHS_KEY = "clipwb.epochs_done";
    private static final String COMPLETE_KEY = "clipwb.complete";
    private static final String VALUE_PREFIX = "value.";

    private final Path directory;

    /** The store of the run in {@code directory}, created if needed. */
    public RunStore(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory.resolve("checkpoints"));
    }

    /** The run's folder. */
    public Path directory() {
        return directory;
    }

    /** The latest checkpoint of a phase, if it has one. */
    public Optional<Checkpoint> checkpoint(String phase) throws IOException {
        Path file = file(phase);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (SafetensorsFile safetensors = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : safetensors.tensors().keySet()) {
                NDArray array = safetensors.read(name, manager);
                tensors.put(name, new Tensor(array.toFloatArray(), array.getShape().getShape()));
            }
            Map<String, String> metadata = safetensors.metadata();
            Map<String, String> values = new LinkedHashMap<>();
            metadata.forEach((key, value) -> {
                if (key.startsWith(VALUE_PREFIX)) {
                    values.put(key.substring(VALUE_PREFIX.length()), value);
                }
            });
            String epochs = metadata.get(EPOCHS_KEY);
            if (epochs == null) {
                throw new IOException(file + " is not a workbench checkpoint (no " + EPOCHS_KEY + " in its metadata)");
            }
            return Optional.of(new Checkpoint(Integer.parseInt(epochs), Boolean.parseBoolean(metadata.get(COMPLETE_KEY)),
                    tensors, values));
        }
    }

    /** Replaces the phase's checkpoint atomically. */
    public void save(String phase, Checkpoint checkpoint) throws IOException {
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("format", "pt");
        metadata.put(EPOCHS_KEY, Integer.toString(checkpoint.epochsDone()));
        metadata.put(COMPLETE_KEY, Boolean.toString(checkpoint.complete()));
        checkpoint.values().forEach((key, value) -> metadata.put(VALUE_PREFIX + key, value));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new TreeMap<>();
            checkpoint.tensors().forEach((name, tensor) -> arrays.put(name, tensor.toArray(manager)));
            SafetensorsWriter.write(file(phase), arrays, metadata);
        }
    }

    private Path file(String phase) {
        return directory.resolve("checkpoints").resolve(phase + ".safetensors");
    }
}
