package org.clipwb.app.gallery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * One image of the gallery with its zero-shot prediction.
 *
 * @param index      the image's position among the run's embedded images: its row in the run's per-image signals
 *                   ({@code core.adapt.RunSignals}) and predictions
 * @param classNames the classes, in the order of the prediction's probabilities
 * @param label      the evaluation label (class index from the image's class subfolder), or -1 when there is none
 */
public record GalleryItem(int index, Path path, String relativePath, Prediction prediction, List<String> classNames, int label) {

    /** The gallery items of a run, in the folder's order. */
    public static List<GalleryItem> of(ZeroShotRun run) {
        List<String> names = run.classes().names();
        List<GalleryItem> items = new ArrayList<>(run.predictions().size());
        for (int i = 0; i < run.predictions().size(); i++) {
            items.add(new GalleryItem(i, run.images().entry(i).path(), run.images().entry(i).relativePath(),
                    run.predictions().get(i), names, run.labels()[i]));
        }
        return items;
    }

    /** The file name without folders. */
    public String fileName() {
        return path.getFileName().toString();
    }

    /** Index of the predicted class. */
    public int predicted() {
        return prediction.predicted();
    }

    /** Name of the predicted class. */
    public String predictedClass() {
        return classNames.get(prediction.predicted());
    }

    /** Probability of the predicted class. */
    public double confidence() {
        return prediction.confidence();
    }

    /** Top-1 minus top-2 probability. */
    public double margin() {
        return prediction.margin();
    }

    /** Whether the image has an evaluation label. */
    public boolean hasLabel() {
        return label >= 0;
    }

    /** The evaluation label's class name, or null. */
    public String labelName() {
        return hasLabel() ? classNames.get(label) : null;
    }

    /** Whether the prediction disagrees with the evaluation label (false without a label). */
    public boolean isMistake() {
        return hasLabel() && label != prediction.predicted();
    }
}
