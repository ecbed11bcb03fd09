package org.clipwb.core.zeroshot;

import java.util.List;
import java.util.Optional;
import org.clipwb.core.embed.EmbeddedFolder;

/**
 * Classification of an embedded folder: one prediction per embedded image and, when the folder's class subfolders
 * match the class list, an evaluation against those labels. The predictions come from CLIP's zero-shot classifier,
 * or from the adapted classifier a run exported with its model.
 *
 * @param classes the classes predicted among
 * @param labels evaluation label per embedded image, -1 where there is none
 */
public record ZeroShotRun(EmbeddedFolder images, ClassList classes, List<Prediction> predictions, int[] labels,
        Optional<Evaluation> evaluation, List<String> unmatchedFolders) {

    /** Classifies the embedded images with CLIP's zero-shot classifier. */
    public static ZeroShotRun classify(EmbeddedFolder images, ZeroShotClassifier classifier) {
        return of(images, classifier.classes(), classifier.classify(images.embeddings()));
    }

    /** A run of predictions already made for the embedded images, evaluated against the folder's labels. */
    public static ZeroShotRun of(EmbeddedFolder images, ClassList classes, List<Prediction> predictions) {
        EvaluationLabels folderLabels = EvaluationLabels.match(images.folder(), classes);
        int[] labels = folderLabels.ofEmbedded(images);
        Optional<Evaluation> evaluation = folderLabels.available()
                ? Optional.of(Evaluation.of(classes, predictions, labels)) : Optional.empty();
        return new ZeroShotRun(images, classes, List.copyOf(predictions), labels, evaluation,
                folderLabels.unmatchedFolders());
    }
}
