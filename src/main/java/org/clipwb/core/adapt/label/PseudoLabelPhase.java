package org.clipwb.core.adapt.label;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.CosineHead;

/**
 * Phase 0 of every method: CLIP's zero-shot predictions of the target images (with the data's class weights:
 * a template, an ensemble or descriptions) turned into pseudo-labels, and the confident ones selected by the
 * {@code labels.*} settings.
 */
public final class PseudoLabelPhase {
    /** The phase's id. */
    public static final String ID = "labels";
    /** How the phase appears in a method's description. */
    public static final PhaseInfo INFO = new PhaseInfo(ID, "Zero-shot pseudo-labels",
            "CLIP's zero-shot prediction of every image; the confident ones are selected to train on");
    /** The settings of the selection, shared by every method. */
    public static final List<Setting> SETTINGS = List.of(
            Setting.choice("labels.selection", "pseudo-labels", "top-k", Selection.WORDS,
                    "How confident pseudo-labels are chosen: top-k per predicted class (UPL), a global threshold, "
                            + "the top fraction of each class, or all"),
            Setting.integer("labels.k", "pseudo-labels", 16, 1, 1_000_000,
                    "K of top-k: images kept per predicted class (UPL's 16; CoFT's value is unpublished)"),
            Setting.decimal("labels.threshold", "pseudo-labels", 0.5, 0, 1,
                    "Confidence an image needs under the threshold rule"),
            Setting.decimal("labels.fraction", "pseudo-labels", 0.2, 0, 1,
                    "Fraction of each predicted class kept under the top-fraction rule"));

    private PseudoLabelPhase() {
    }

    /** Runs (or restores) the phase: the zero-shot pseudo-labels of the target and the selected subset. */
    public static PseudoLabels run(RunContext context) throws IOException {
        return run(context, context.data().classWeights());
    }

    /**
     * Runs (or restores) the phase with other class weights than the data's (CoFT+ classifies with class
     * descriptions, methods.md §4.5).
     */
    public static PseudoLabels run(RunContext context, float[][] classWeights) throws IOException {
        return run(context, classWeights, UnaryOperator.identity());
    }

    /**
     * Runs (or restores) the phase with the zero-shot probabilities rewritten by {@code adjust} before the labels are
     * read from them (CoFT balances them over the classes).
     */
    public static PseudoLabels run(RunContext context, float[][] classWeights, UnaryOperator<float[][]> adjust)
            throws IOException {
        Checkpoint outputs = context.phase(ID, phase -> {
            AdaptationData data = context.data();
            float[][] probabilities = adjust.apply(new CosineHead(classWeights, data.logitScale())
                    .probabilities(data.target().embeddings()));
            PseudoLabels labels = select(probabilities, context.settings());
            boolean[] kept = new boolean[labels.size()];
            for (int i : labels.selected()) {
                kept[i] = true;
            }
            context.recordSignals(new PhaseSignals(ID, 0, labels.predicted(), labels.confidence(), kept, Map.of()));
            phase.report(new ProgressEvent(ID, 0, 0, 1, 1, 0, Map.of(), Double.NaN, Optional.empty(),
                    Optional.of(stats(labels, labels.predicted(), data.target().labels(), OptionalDouble.empty())),
                    String.format("zero-shot pseudo-labels: %d of %d images selected", labels.selected().length,
                            labels.size())));
            return Checkpoint.after(0)
                    .tensor("predicted", Tensor.of(toFloats(labels.predicted())))
                    .tensor("confidence", Tensor.of(labels.confidence()))
                    .tensor("selected", Tensor.of(toFloats(labels.selected())));
        });
        return new PseudoLabels(toInts(outputs.tensor("predicted").values()), outputs.tensor("confidence").values(),
                toInts(outputs.tensor("selected").values()));
    }

    /** Selects from class probabilities as the settings say. */
    public static PseudoLabels select(float[][] probabilities, Settings settings) {
        Selection rule = Selection.of(settings.choice("labels.selection"));
        double parameter = switch (rule) {
            case TOP_K_PER_CLASS -> settings.integer("labels.k");
            case THRESHOLD -> settings.decimal("labels.threshold");
            case TOP_FRACTION_PER_CLASS -> settings.decimal("labels.fraction");
            case ALL -> 0;
        };
        return PseudoLabels.select(probabilities, rule, parameter);
    }

    /**
     * Statistics of pseudo-labels for a progress event: how many are kept, how accurate they are and how accurate the
     * current predictions of every image are, against the evaluation labels when there are any.
     */
    public static PseudoLabelStats stats(PseudoLabels labels, int[] currentPredictions, int[] evaluationLabels,
            OptionalDouble estimatedCleanFraction) {
        return new PseudoLabelStats(labels.selected().length, labels.size(), estimatedCleanFraction,
                optional(labels.selectedAccuracy(evaluationLabels)),
                optional(PseudoLabels.accuracy(allIndices(currentPredictions.length), currentPredictions,
                        evaluationLabels)));
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    private static OptionalDouble optional(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Class indices as the floats a checkpoint tensor holds. */
    public static float[] toFloats(int[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = values[i];
        }
        return floats;
    }

    /** Class indices back from a checkpoint tensor. */
    public static int[] toInts(float[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = Math.round(values[i]);
        }
        return ints;
    }
}
