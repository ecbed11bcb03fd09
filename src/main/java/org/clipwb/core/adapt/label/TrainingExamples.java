package org.clipwb.core.adapt.label;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.Setting;

/**
 * The labeled embeddings a method learns from: the user's labeled shots, the target images whose zero-shot
 * pseudo-labels phase 0 selected, or both. Without shots every source falls back to the pseudo-labels, so a run is
 * annotation-free unless the user vouched for some labels.
 *
 * @param embeddings the normalised embeddings [N][D], shots first
 * @param labels their classes [N]
 * @param shots how many of them are labeled shots (the first ones)
 * @param keptTargets which target images contribute their pseudo-label [target size]
 */
public record TrainingExamples(float[][] embeddings, int[] labels, int shots, boolean[] keptTargets) {
    /** Shots and pseudo-labels. */
    public static final String SHOTS_AND_PSEUDO = "shots+pseudo";
    /** Pseudo-labels only, even when there are shots. */
    public static final String PSEUDO = "pseudo";
    /** Shots only; pseudo-labels when there are none. */
    public static final String SHOTS = "shots";

    /** The setting that chooses the source of a trained method's labels. */
    public static final Setting TRAIN_ON = Setting.choice("train.on", "training", SHOTS_AND_PSEUDO,
            List.of(SHOTS_AND_PSEUDO, PSEUDO, SHOTS),
            "Train on the labeled shots (when given) and the selected pseudo-labels, on the pseudo-labels only, or on "
                    + "the shots only; without shots the pseudo-labels are used (UPL trains on pseudo-labels only)");

    /**
     * The examples of {@code source} ({@link #SHOTS_AND_PSEUDO}, {@link #PSEUDO} or {@link #SHOTS}).
     */
    public static TrainingExamples of(AdaptationData data, PseudoLabels pseudo, String source) {
        LabeledSet shots = data.shots();
        boolean useShots = shots.size() > 0 && !source.equals(PSEUDO);
        boolean usePseudo = !useShots || !source.equals(SHOTS);
        LabeledSet used = useShots ? shots : LabeledSet.empty();
        int[] selected = usePseudo ? pseudo.selected() : new int[0];
        LabeledSet targets = data.target().subset(selected);
        boolean[] kept = new boolean[data.target().size()];
        for (int i : selected) {
            kept[i] = true;
        }
        if (used.size() + selected.length == 0) {
            throw new IllegalStateException("nothing to learn from: no labeled shots, and the pseudo-label selection "
                    + "kept no image (try labels.selection=top-k or a lower labels.threshold)");
        }
        return new TrainingExamples(
                Stream.concat(Stream.of(used.embeddings()), Stream.of(targets.embeddings())).toArray(float[][]::new),
                IntStream.concat(IntStream.of(used.labels()), IntStream.of(selected).map(i -> pseudo.predicted()[i]))
                        .toArray(),
                used.size(), kept);
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** How many examples are pseudo-labeled target images. */
    public int pseudoLabels() {
        return labels.length - shots;
    }

    /** In words, for a progress message: "48 pseudo-labels and 8 labeled shots". */
    public String describe() {
        return pseudoLabels() + " pseudo-labels" + (shots > 0 ? " and " + shots + " labeled shots" : "");
    }
}
