package org.clipwb.core.analysis;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * The images the inspector and the dataset views analyse: each image's file, its key (path relative to the image
 * folder, as runs name it), its cached embedding, the class probabilities of the classifier shown (zero-shot, or a
 * run's adapted one) and its evaluation label.
 *
 * @param keys each image's path relative to the image folder, in the folder's (sorted) order
 * @param embeddings normalised embeddings [N][D]
 * @param probabilities class probabilities [N][C]
 * @param evaluationLabels each image's class from the folder's class subfolders, −1 where there is none
 */
public record ImageSet(List<String> keys, List<Path> files, float[][] embeddings, List<String> classNames,
        float[][] probabilities, int[] evaluationLabels) {

    public ImageSet {
        keys = List.copyOf(keys);
        files = List.copyOf(files);
        classNames = List.copyOf(classNames);
        int n = keys.size();
        if (files.size() != n || embeddings.length != n || probabilities.length != n || evaluationLabels.length != n) {
            throw new IllegalArgumentException("keys (" + n + "), files (" + files.size() + "), embeddings ("
                    + embeddings.length + "), probabilities (" + probabilities.length + ") and labels ("
                    + evaluationLabels.length + ") must cover the same images");
        }
        for (float[] row : probabilities) {
            if (row.length != classNames.size()) {
                throw new IllegalArgumentException("probabilities over " + row.length + " classes for "
                        + classNames.size() + " class names");
            }
        }
    }

    /** The images of a zero-shot classification, with its probabilities and the folder's evaluation labels. */
    public static ImageSet of(ZeroShotRun run) {
        EmbeddedFolder images = run.images();
        int n = images.size();
        return new ImageSet(IntStream.range(0, n).mapToObj(i -> images.entry(i).relativePath()).toList(),
                IntStream.range(0, n).mapToObj(i -> images.entry(i).path()).toList(),
                images.embeddings(), run.classes().names(),
                run.predictions().stream().map(Prediction::probabilities).toArray(float[][]::new), run.labels().clone());
    }

    /** These images classified by another classifier (e.g. a run's adapted head on the same embeddings). */
    public ImageSet withProbabilities(float[][] other) {
        return new ImageSet(keys, files, embeddings, classNames, other, evaluationLabels);
    }

    /** Number of images. */
    public int size() {
        return keys.size();
    }

    /** Number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** The prediction of image {@code i}. */
    public Prediction prediction(int i) {
        return new Prediction(probabilities[i]);
    }

    /** The predicted class of every image. */
    public int[] predicted() {
        int[] predicted = new int[size()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = prediction(i).predicted();
        }
        return predicted;
    }

    /** The confidence (top probability) of every image. */
    public float[] confidence() {
        float[] confidence = new float[size()];
        for (int i = 0; i < confidence.length; i++) {
            confidence[i] = prediction(i).confidence();
        }
        return confidence;
    }

    /** Whether some image has an evaluation label. */
    public boolean hasEvaluationLabels() {
        for (int label : evaluationLabels) {
            if (label >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The evaluation label of image {@code i}, when it has one. */
    public Optional<Integer> evaluationLabel(int i) {
        return evaluationLabels[i] >= 0 ? Optional.of(evaluationLabels[i]) : Optional.empty();
    }

    /** The index of each key. */
    public Map<String, Integer> indexByKey() {
        Map<String, Integer> index = new HashMap<>(size() * 2);
        for (int i = 0; i < size(); i++) {
            index.put(keys.get(i), i);
        }
        return index;
    }
}
