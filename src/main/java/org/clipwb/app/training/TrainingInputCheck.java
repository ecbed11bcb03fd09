package org.clipwb.app.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.clipwb.app.project.TrainingInputs;
import org.clipwb.core.adapt.DescriptionSources;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.EvaluationLabels;

/**
 * What is wrong with a project's training inputs, in words that say what to do: a held-out folder that is missing,
 * empty or has no class subfolders to measure accuracy with, and a descriptions source that is missing, names no
 * source or is a JSON file that does not read ({@link DescriptionSources#check}). Reads the disk: call it off the FX
 * thread.
 */
final class TrainingInputCheck {
    private TrainingInputCheck() {
    }

    /** What is wrong with the held-out folder and with the descriptions source; empty text where nothing is. */
    record Problems(String testImages, String descriptions) {
        /** Nothing is wrong. */
        static final Problems NONE = new Problems("", "");
    }

    /**
     * The problems of {@code inputs}.
     *
     * @param usesDescriptions whether the chosen method, with its settings, asks for descriptions
     * @param methodTitle the method's name, for the message
     * @param classes the project's classes, which the held-out folder's subfolders must name
     */
    static Problems problems(TrainingInputs inputs, boolean usesDescriptions, String methodTitle, ClassList classes) {
        return new Problems(inputs.testImages().isEmpty() ? "" : testFolderProblem(inputs.testImages(), classes)
                .orElse(""), usesDescriptions ? descriptionsProblem(inputs.descriptions(), methodTitle).orElse("")
                : "");
    }

    private static Optional<String> testFolderProblem(String text, ClassList classes) {
        Path folder;
        try {
            folder = Path.of(text);
        } catch (InvalidPathException e) {
            return Optional.of("The held-out test folder \"" + text + "\" is not a valid path: " + e.getReason());
        }
        if (!Files.isDirectory(folder)) {
            return Optional.of("The held-out test folder " + folder + " does not exist or is not a folder: choose a "
                    + "folder with one subfolder of images per class, or clear the field");
        }
        ImageFolder scanned;
        try {
            scanned = ImageFolder.scan(folder);
        } catch (IOException e) {
            return Optional.of("The held-out test folder " + folder + " cannot be read: " + e.getMessage());
        }
        if (scanned.entries().isEmpty()) {
            return Optional.of("The held-out test folder " + folder + " holds no images: choose a folder with one "
                    + "subfolder of images per class");
        }
        EvaluationLabels labels = EvaluationLabels.match(scanned, classes);
        if (!labels.unmatchedFolders().isEmpty()) {
            return Optional.of("The subfolders " + String.join(", ", labels.unmatchedFolders()) + " of the held-out "
                    + "test folder " + folder + " name no class of the project: rename them after the classes");
        }
        if (!labels.available()) {
            return Optional.of("The held-out test folder " + folder + " has no class subfolders, so the run cannot "
                    + "measure its accuracy: put each class's images in a subfolder named after the class");
        }
        return Optional.empty();
    }

    private static Optional<String> descriptionsProblem(String spec, String methodTitle) {
        if (spec.isEmpty()) {
            return Optional.of(methodTitle + " needs descriptions: choose " + DescriptionSources.OFFLINE + " (a "
                    + "caption bank of the demo world, for the sample projects), a JSON file of descriptions, or "
                    + DescriptionSources.OLLAMA + "MODEL[@URL] (an Ollama server)");
        }
        try {
            DescriptionSources.check(spec);
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
