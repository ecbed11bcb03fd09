package org.clipwb.core.adapt;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What each step of a run changed, for teaching and reports: how many labels a phase kept (and how many of those were
 * right), which images' labels flipped since the step before, and how the accuracy moved. The steps are the run's
 * phases, in order, then its final labels when given.
 */
public final class PhaseChanges {
    private PhaseChanges() {
    }

    /** One image whose label changed between two steps; {@code truth} is its evaluation label or -1. */
    public record Flip(int image, String path, int from, int to, int truth) {
        /** Whether the flip fixed a wrong label (true), broke a right one (false), or neither or unknown (empty). */
        public java.util.Optional<Boolean> fixed() {
            if (truth < 0 || (from != truth && to != truth)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(to == truth);
        }
    }

    /**
     * One step.
     *
     * @param phase the phase's id ({@link #FINAL} for the run's final labels)
     * @param images how many images
     * @param kept how many labels the phase kept to train on; empty for the final labels
     * @param keptAccuracy the accuracy of the kept labels against the evaluation labels, when known
     * @param accuracy the accuracy of every image's label, when known
     * @param previousAccuracy that of the step before, when known (empty for the first step)
     * @param flips the images whose label differs from the step before (none for the first step)
     */
    public record Step(String phase, int images, OptionalInt kept, OptionalDouble keptAccuracy,
            OptionalDouble accuracy, OptionalDouble previousAccuracy, List<Flip> flips) {
        public Step {
            flips = List.copyOf(flips);
        }

        /** How many flips fixed a wrong label. */
        public long fixedCount() {
            return flips.stream().filter(flip -> flip.fixed().orElse(false)).count();
        }

        /** How many flips broke a right label. */
        public long brokenCount() {
            return flips.stream().filter(flip -> !flip.fixed().orElse(true)).count();
        }
    }

    /** The step id of a run's final labels. */
    public static final String FINAL = "final";

    /**
     * The steps of a run.
     *
     * @param phases the run's phase signals, in order ({@link RunSignals#phases()})
     * @param images the run's images and evaluation labels
     * @param finalLabels the run's final label of each image (in {@code images}' order), or null when it has none yet
     */
    public static List<Step> of(List<PhaseSignals> phases, RunImages images, int[] finalLabels) {
        List<Step> steps = new ArrayList<>();
        int[] previous = null;
        OptionalDouble previousAccuracy = OptionalDouble.empty();
        for (PhaseSignals phase : phases) {
            requireSize(phase.phase(), phase.size(), images);
            Step step = step(phase.phase(), phase.predicted(), OptionalInt.of(phase.keptCount()),
                    keptAccuracy(phase, images.labels()), previous, previousAccuracy, images);
            steps.add(step);
            previous = phase.predicted();
            previousAccuracy = step.accuracy();
        }
        if (finalLabels != null) {
            requireSize(FINAL, finalLabels.length, images);
            steps.add(step(FINAL, finalLabels, OptionalInt.empty(), OptionalDouble.empty(), previous, previousAccuracy,
                    images));
        }
        return steps;
    }

    private static Step step(String phase, int[] labels, OptionalInt kept, OptionalDouble keptAccuracy, int[] previous,
            OptionalDouble previousAccuracy, RunImages images) {
        List<Flip> flips = new ArrayList<>();
        if (previous != null) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != previous[i]) {
                    flips.add(new Flip(i, images.paths().get(i), previous[i], labels[i], images.labels()[i]));
                }
            }
        }
        return new Step(phase, labels.length, kept, keptAccuracy, Accuracy.plain(labels, images.labels()),
                previousAccuracy, flips);
    }

    private static OptionalDouble keptAccuracy(PhaseSignals phase, int[] truth) {
        int[] keptTruth = new int[truth.length];
        for (int i = 0; i < truth.length; i++) {
            keptTruth[i] = phase.kept()[i] ? truth[i] : -1;
        }
        return Accuracy.plain(phase.predicted(), keptTruth);
    }

    private static void requireSize(String phase, int size, RunImages images) {
        if (size != images.paths().size()) {
            throw new IllegalArgumentException("step " + phase + " covers " + size + " images, but the run has "
                    + images.paths().size());
        }
    }
}
