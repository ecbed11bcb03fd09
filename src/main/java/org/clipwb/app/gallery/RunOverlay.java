package org.clipwb.app.gallery;

import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * A run's verdict on every image, read from its per-image signals ({@code core.adapt.RunSignals}) for the gallery:
 * the final pseudo-label and confidence (the last phase), whether the label changed between phases, and, for CoFT,
 * whether the label was kept as clean and whether the two models' positive prompts agree. Arrays are indexed like
 * {@link GalleryItem#index()}.
 *
 * @param runId       the run
 * @param label       the last phase's label of each image
 * @param confidence  its confidence
 * @param flipped     whether the image's label differs between two phases of the run
 * @param clean       CoFT: 1 when the collaborative filter kept the label as clean, 0 when noisy; null without CoFT
 * @param agreement   CoFT: 1 when models A and B predict the same class with their positive prompts, else 0; null
 *                    without CoFT
 */
public record RunOverlay(String runId, int[] label, float[] confidence, boolean[] flipped, byte[] clean,
        byte[] agreement) {
    /** The signal of CoFT's collaborative filter that marks the phase that decided clean and noisy. */
    static final String CLEAN_PROBABILITY = "coft.p_clean";
    private static final String POSITIVE_A = "coft.s_pos_a";
    private static final String POSITIVE_B = "coft.s_pos_b";

    /**
     * The overlay of a run's phases (in run order).
     *
     * @throws IllegalArgumentException when the run has no phase with signals yet
     */
    public static RunOverlay of(String runId, List<PhaseSignals> phases) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("The run " + runId + " has no per-image signals yet: they are written "
                    + "when its first phase completes");
        }
        PhaseSignals last = phases.get(phases.size() - 1);
        int n = last.size();
        boolean[] flipped = new boolean[n];
        for (int p = 1; p < phases.size(); p++) {
            int[] before = phases.get(p - 1).predicted();
            int[] after = phases.get(p).predicted();
            for (int i = 0; i < Math.min(n, Math.min(before.length, after.length)); i++) {
                flipped[i] |= before[i] != after[i];
            }
        }
        byte[] clean = null;
        byte[] agreement = null;
        Optional<PhaseSignals> filter = phases.stream().filter(p -> p.extras().containsKey(CLEAN_PROBABILITY))
                .reduce((first, second) -> second);
        if (filter.isPresent()) {
            PhaseSignals phase = filter.get();
            clean = new byte[phase.size()];
            for (int i = 0; i < clean.length; i++) {
                clean[i] = (byte) (phase.kept()[i] ? 1 : 0);
            }
            Tensor a = phase.extras().get(POSITIVE_A);
            Tensor b = phase.extras().get(POSITIVE_B);
            if (a != null && b != null) {
                int[] predictedA = argmaxRows(a, phase.size());
                int[] predictedB = argmaxRows(b, phase.size());
                agreement = new byte[phase.size()];
                for (int i = 0; i < agreement.length; i++) {
                    agreement[i] = (byte) (predictedA[i] == predictedB[i] ? 1 : 0);
                }
            }
        }
        return new RunOverlay(runId, last.predicted(), last.confidence(), flipped, clean, agreement);
    }

    /** Whether the run recorded CoFT's clean/noisy decision. */
    public boolean hasCleanSignal() {
        return clean != null;
    }

    /** Whether the run recorded both CoFT models' positive-prompt scores. */
    public boolean hasAgreementSignal() {
        return agreement != null;
    }

    /** Whether the overlay covers the image at {@code index} (a run over another folder may not). */
    boolean covers(int index) {
        return index >= 0 && index < label.length;
    }

    private static int[] argmaxRows(Tensor scores, int rows) {
        int width = scores.values().length / rows;
        int[] best = new int[rows];
        for (int i = 0; i < rows; i++) {
            int offset = i * width;
            int arg = 0;
            for (int k = 1; k < width; k++) {
                if (scores.values()[offset + k] > scores.values()[offset + arg]) {
                    arg = k;
                }
            }
            best[i] = arg;
        }
        return best;
    }
}
