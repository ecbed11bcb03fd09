package org.clipwb.core.zeroshot;

import java.util.List;
import java.util.Optional;
import org.clipwb.core.embed.EmbeddedFolder;

/**
 * Zero-shot classification of an embedded folder: one prediction per embedded image and, when the folder's class
 * subfolders match the class list, an evaluation against those labels.
 *
 * @param labels evaluation label per embedded image, -1 where there is none
 */
public record ZeroShotRun(EmbeddedFolder images, ZeroShotClassifier classifier, List<Prediction> predictions,
        int[] labels, Optional<Evaluation> evaluation, List<String> unmatchedFolders) {

    /** Classifies the embedded images. */
    public static ZeroShotRun classify(EmbeddedFolder images, ZeroShotClassifier classifier) {
        List<Prediction> predictions = classifier.classify(images.embeddings());
        EvaluationLabels folderLabels = EvaluationLabels.match(images.folder(), classifier.classes());
        int[] labels = new int[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = folderLabels.labels()[images.entryIndices()[i]];
        }
        Optional<Evaluation> evaluation = folderLabels.available()
                ? Optional.of(Evaluation.of(classifier.classes(), predictions, labels)) : Optional.empty();
        return new ZeroShotRun(images, classifier, List.copyOf(predictions), labels, evaluation,
                folderLabels.unmatchedFolders());
    }
}
