package org.clipwb.app.project;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clipwb.core.project.RunRecord;

/**
 * A project's inputs for training runs beyond its images and classes, as its catalog keeps them: a held-out test
 * folder whose accuracy runs report ({@code clipwb adapt --test-images}) and the descriptions source of the methods
 * that use descriptions ({@code --descriptions}). Empty text means none.
 *
 * @param testImages the held-out folder (class subfolders named like the classes), or empty
 * @param descriptions {@code offline}, a JSON file or {@code ollama:MODEL[@URL]}, or empty
 */
public record TrainingInputs(String testImages, String descriptions) {
    static final String TEST_IMAGES = "training.test_images";
    static final String DESCRIPTIONS = "training.descriptions";
    /** No held-out folder, no descriptions. */
    public static final TrainingInputs NONE = new TrainingInputs("", "");

    public TrainingInputs {
        testImages = testImages == null ? "" : testImages.strip();
        descriptions = descriptions == null ? "" : descriptions.strip();
    }

    /**
     * The run inputs these add, as {@link RunRecord} names them: the held-out folder (absolute) when set, and the
     * descriptions source when set and {@code usesDescriptions}.
     */
    public Map<String, String> runInputs(boolean usesDescriptions) {
        Map<String, String> inputs = new LinkedHashMap<>();
        if (!testImages.isEmpty()) {
            inputs.put(RunRecord.INPUT_TEST_IMAGES, Path.of(testImages).toAbsolutePath().normalize().toString());
        }
        if (usesDescriptions && !descriptions.isEmpty()) {
            inputs.put(RunRecord.INPUT_DESCRIPTIONS, descriptions);
        }
        return inputs;
    }

    Map<String, String> toCatalog() {
        return Map.of(TEST_IMAGES, testImages, DESCRIPTIONS, descriptions);
    }

    static TrainingInputs fromCatalog(Map<String, String> entries) {
        return new TrainingInputs(entries.get(TEST_IMAGES), entries.get(DESCRIPTIONS));
    }
}
