package org.clipwb.core.analysis;

import java.io.IOException;
import java.util.Optional;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * The images on show and, when a run is chosen, what the run recorded about them: the one bundle the inspector and
 * the dataset views read. Without a run it is the zero-shot view; with a run, the predictions shown are the run's
 * (its adapted classifier's probabilities when it kept the frozen encoder, its last phase's labels otherwise).
 *
 * @param images the images, classified by the zero-shot classifier
 * @param shown the same images classified by what is on show: the run's adapted classifier, or zero-shot
 * @param run what the run recorded, when one is chosen
 */
public record RunAnalysis(ImageSet images, ImageSet shown, Optional<RunInspection> run) {

    /** The zero-shot view of a classification. */
    public static RunAnalysis zeroShot(ZeroShotRun zeroShot) {
        ImageSet images = ImageSet.of(zeroShot);
        return new RunAnalysis(images, images, Optional.empty());
    }

    /** The view of {@code run} of {@code catalog} on the images of a zero-shot classification. */
    public static RunAnalysis of(ProjectCatalog catalog, RunRecord run, ZeroShotRun zeroShot) throws IOException {
        ImageSet images = ImageSet.of(zeroShot);
        RunInspection inspection = RunInspection.load(catalog, run, images);
        ImageSet shown = inspection.adaptedProbabilities(images).map(images::withProbabilities).orElse(images);
        return new RunAnalysis(images, shown, Optional.of(inspection));
    }

    /** The label shown for every image: the run's last phase's where it saw the image, else the classifier's. */
    public int[] predicted() {
        int[] predicted = shown.predicted();
        if (!usesAdaptedProbabilities()) {
            forImagesTheRunSaw((i, r, phase) -> predicted[i] = phase.predicted()[r]);
        }
        return predicted;
    }

    /** The confidence shown for every image, from the same source as {@link #predicted()}. */
    public float[] confidence() {
        float[] confidence = shown.confidence();
        if (!usesAdaptedProbabilities()) {
            forImagesTheRunSaw((i, r, phase) -> confidence[i] = phase.confidence()[r]);
        }
        return confidence;
    }

    /** What to do with image i on show, the run's row r of it and the run's last phase. */
    @FunctionalInterface
    private interface SeenImage {
        void accept(int image, int runRow, PhaseSignals lastPhase);
    }

    private void forImagesTheRunSaw(SeenImage action) {
        lastPhase().ifPresent(phase -> {
            for (int i = 0; i < images.size(); i++) {
                int r = run.get().runIndex(i).orElse(-1);
                if (r >= 0) {
                    action.accept(i, r, phase);
                }
            }
        });
    }

    /** Whether the run's last phase kept each image to train on, when a run is chosen and recorded phases. */
    public Optional<boolean[]> kept() {
        if (lastPhase().isEmpty()) {
            return Optional.empty();
        }
        boolean[] kept = new boolean[images.size()];
        forImagesTheRunSaw((i, r, phase) -> kept[i] = phase.kept()[r]);
        return Optional.of(kept);
    }

    /** Whether the predictions shown are the run's adapted classifier's (not zero-shot, not a phase's labels). */
    public boolean usesAdaptedProbabilities() {
        return shown != images;
    }

    private Optional<PhaseSignals> lastPhase() {
        return run.flatMap(r -> r.phases().isEmpty() ? Optional.empty()
                : Optional.of(r.phases().get(r.phases().size() - 1)));
    }
}
