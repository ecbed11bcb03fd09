package org.clipwb.app.inspector;

import java.util.List;
import java.util.Optional;
import org.clipwb.core.analysis.ImageSet;
import org.clipwb.core.analysis.LabelHistory;
import org.clipwb.core.analysis.NearestNeighbours;
import org.clipwb.core.analysis.RunInspection;
import org.clipwb.core.project.RunRecord;

/**
 * Everything the inspector shows about one image, computed off the FX thread.
 *
 * @param index the image's index among {@code images}
 * @param images the images on show (files, keys, class names, evaluation labels), zero-shot probabilities
 * @param topK the most probable classes under {@code scoresSource}, most probable first
 * @param scoresSource what produced the probabilities: "zero-shot" or the run's adapted classifier
 * @param run the run whose signals are shown, when one is selected
 * @param phases the image's pseudo-label phase by phase in that run (empty when none or the run did not see it)
 * @param runLabels every run's final label of the image, oldest run first
 */
public record InspectorContent(int index, ImageSet images, List<ClassScore> topK, String scoresSource,
        Optional<RunRecord> run, boolean runCoversImage, List<RunInspection.Step> phases,
        List<LabelHistory.RunLabel> runLabels, Optional<RunInspection.CoftVerdict> coft,
        Optional<RunInspection.LluMask> llu, Optional<RunInspection.LatteTexts> latte,
        NearestNeighbours.Neighbours neighbours) {

    /** One class and its probability. */
    public record ClassScore(int label, String name, float probability) {
    }

    /** The image's class name. */
    public String className(int label) {
        return label >= 0 && label < images.classCount() ? images.classNames().get(label) : "(none)";
    }
}
