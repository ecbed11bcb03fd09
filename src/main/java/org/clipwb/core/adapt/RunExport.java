package org.clipwb.core.adapt;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.model.CheckpointLayout;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.util.Folders;

/**
 * Exports an adapted model: the model's checkpoint (in its own layout, so that its preprocessing stays exact: the
 * Hugging Face layout for Hugging Face models such as the demo) with its tokenizer, plus the run's classifier in
 * {@code classifier/} (the class names and their text embeddings, prompts or adapter); a run that fine-tuned an
 * encoder ({@link AdaptedEncoder}: CoFT's image tower, FLYP's both towers) exports the model with those weights.
 * {@code clipwb zero-shot --model DIR} then reproduces the run's predictions. The folder appears complete or not at all.
 */
public final class RunExport {
    private RunExport() {
    }

    /** The classifier folder inside an exported model, when there is one. */
    public static Path classifierOf(Path modelDirectory) {
        return modelDirectory.resolve(AdaptationRunner.CLASSIFIER_FOLDER);
    }

    /**
     * Writes {@code clip}'s weights and the classifier saved in {@code runDirectory} into {@code target}.
     *
     * @throws IOException when the run has no classifier (it did not finish) or {@code target} exists and is not empty
     */
    public static void export(Clip clip, Path runDirectory, Path target) throws IOException {
        Path classifier = runDirectory.resolve(AdaptationRunner.CLASSIFIER_FOLDER);
        if (!HeadFiles.exists(classifier)) {
            throw new IOException("Run " + runDirectory.getFileName() + " has no adapted classifier yet (" + classifier
                    + "): finish or resume the run first");
        }
        if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
            throw new IOException("Export folder " + target + " exists and is not empty: choose a new folder or empty it");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Optional<Map<String, Tensor>> encoder = AdaptedEncoder.load(runDirectory);
            if (encoder.isEmpty()) {
                save(clip, clip.model(), staging);
            } else {
                // The run fine-tuned the image encoder: a fresh copy of the model takes its weights, the loaded one
                // stays as it is.
                try (NDManager manager = NDManager.newBaseManager()) {
                    ClipModel adapted = ClipCheckpoint.load(clip.directory(), clip.model().endOfTextId(), manager)
                            .model();
                    adapted.trainOnly(name -> false);
                    AdaptedEncoder.applyTo(adapted, encoder.get());
                    save(clip, adapted, staging);
                }
            }
            for (String file : CheckpointLayout.TOKENIZER_FILES) {
                Files.copy(clip.directory().resolve(file), staging.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Path exportedClassifier = classifierOf(staging);
            Files.createDirectories(exportedClassifier);
            for (String file : new String[] {HeadFiles.JSON_FILE, HeadFiles.TENSORS_FILE}) {
                Files.copy(classifier.resolve(file), exportedClassifier.resolve(file));
            }
            Files.deleteIfExists(target);
            Files.move(staging, target);
        } catch (IOException | RuntimeException e) {
            if (Files.exists(staging)) {
                Folders.deleteRecursively(staging);
            }
            throw e;
        }
    }

    private static void save(Clip clip, ClipModel model, Path folder) throws IOException {
        if (clip.layout() == CheckpointLayout.OPEN_CLIP) {
            ClipCheckpoint.saveOpenClip(model, folder, clip.preprocessor().config());
        } else {
            ClipCheckpoint.saveHuggingFace(model, folder, clip.preprocessor().config());
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
