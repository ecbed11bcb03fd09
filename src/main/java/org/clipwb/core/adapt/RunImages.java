package org.clipwb.core.adapt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.util.AtomicFiles;

/**
 * The target images of a run in the order its per-image signals use, with their evaluation labels ({@code -1} where
 * the folder has none) and the class names: {@code images.json} in the run's folder, written when the run starts.
 * With it, a run's signals say which image flipped and whether a label was right, long after the run.
 *
 * @param paths each image's path relative to the image folder, in signal order
 * @param labels each image's evaluation label, or -1
 * @param classNames the run's class names, by label
 */
public record RunImages(List<String> paths, int[] labels, List<String> classNames) {
    /** The file in a run's folder. */
    public static final String FILE = "images.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunImages {
        paths = List.copyOf(paths);
        classNames = List.copyOf(classNames);
        if (labels.length != paths.size()) {
            throw new IllegalArgumentException(paths.size() + " images but " + labels.length + " labels");
        }
    }

    /** The target images of {@code data}. */
    public static RunImages of(AdaptationData data) {
        return new RunImages(data.target().keys(), data.target().labels(), data.classes().names());
    }

    /** Whether any image has an evaluation label. */
    public boolean hasLabels() {
        return Arrays.stream(labels).anyMatch(label -> label >= 0);
    }

    /**
     * The catalog's predictions of a run as labels in this list's order.
     *
     * @throws IllegalArgumentException naming an image that has no prediction
     */
    public int[] labelsOf(List<ProjectCatalog.PredictionRow> predictions) {
        Map<String, Integer> byPath = new HashMap<>();
        predictions.forEach(row -> byPath.put(row.path(), row.label()));
        int[] ordered = new int[paths.size()];
        for (int i = 0; i < ordered.length; i++) {
            Integer label = byPath.get(paths.get(i));
            if (label == null) {
                throw new IllegalArgumentException("the predictions have no label for " + paths.get(i));
            }
            ordered[i] = label;
        }
        return ordered;
    }

    /** Writes {@code images.json} into {@code runDirectory} atomically. */
    public void save(Path runDirectory) throws IOException {
        Files.createDirectories(runDirectory);
        AtomicFiles.write(runDirectory.resolve(FILE), JSON.writeValueAsBytes(Map.of("paths", paths, "labels", labels,
                "classes", classNames)));
    }

    /** The images of the run in {@code runDirectory}; empty for a run that started before runs recorded them. */
    @SuppressWarnings("unchecked")
    public static Optional<RunImages> read(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, Object> json = JSON.readValue(file.toFile(), Map.class);
        try {
            List<Number> labels = (List<Number>) json.get("labels");
            return Optional.of(new RunImages((List<String>) json.get("paths"),
                    labels.stream().mapToInt(Number::intValue).toArray(), (List<String>) json.get("classes")));
        } catch (ClassCastException | NullPointerException e) {
            throw new IOException(file + " is not a run's image list (paths, labels, classes): " + e.getMessage(), e);
        }
    }
}
