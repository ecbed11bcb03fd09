package org.clipwb.core.adapt.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.Accuracy;

/**
 * Pseudo-labels of a set of images: for every image its predicted class and confidence, and which images were
 * selected to train on.
 *
 * @param predicted the argmax class of every image [N]
 * @param confidence the probability of that class [N]
 * @param selected the indices of the selected images, ascending
 */
public record PseudoLabels(int[] predicted, float[] confidence, int[] selected) {

    /**
     * Predicts every image from its class probabilities and selects by {@code rule}.
     *
     * @param probabilities [N][C] rows that sum to 1
     * @param parameter K for {@link Selection#TOP_K_PER_CLASS}, the threshold for {@link Selection#THRESHOLD}, the
     *     fraction for {@link Selection#TOP_FRACTION_PER_CLASS}; ignored for {@link Selection#ALL}
     */
    public static PseudoLabels select(float[][] probabilities, Selection rule, double parameter) {
        int n = probabilities.length;
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) {
            Best best = best(probabilities[i]);
            predicted[i] = best.label();
            confidence[i] = best.probability();
        }
        int[] selected = switch (rule) {
            case ALL -> IntStream.range(0, n).toArray();
            // Confidences are floats: the threshold is compared as the float it names (0.7f is below the double 0.7).
            case THRESHOLD -> IntStream.range(0, n).filter(i -> confidence[i] >= (float) parameter).toArray();
            case TOP_K_PER_CLASS -> perClass(predicted, confidence, count -> (int) Math.min(count, Math.round(parameter)));
            // The tolerance keeps a product such as 0.14 · 50 = 7.000000000000001 at 7.
            case TOP_FRACTION_PER_CLASS -> perClass(predicted, confidence,
                    count -> (int) Math.min(count, Math.max(1, Math.ceil(parameter * count - 1e-9))));
        };
        return new PseudoLabels(predicted, confidence, selected);
    }

    /** The selected images' labels, in the order of {@link #selected()}. */
    public int[] selectedLabels() {
        return Arrays.stream(selected).map(i -> predicted[i]).toArray();
    }

    /** Number of images. */
    public int size() {
        return predicted.length;
    }

    /** The accuracy of the selected labels against evaluation labels (-1 = none), NaN when none can be checked. */
    public double selectedAccuracy(int[] evaluationLabels) {
        return accuracy(selected, predicted, evaluationLabels);
    }

    /** The accuracy of every prediction against evaluation labels (-1 = none), NaN when none can be checked. */
    public double accuracy(int[] evaluationLabels) {
        return Accuracy.plain(predicted, evaluationLabels).orElse(Double.NaN);
    }

    /**
     * The accuracy of {@code predicted} at {@code indices} against evaluation labels (-1 = none), NaN when none can be
     * checked; for reports only.
     */
    public static double accuracy(int[] indices, int[] predicted, int[] evaluationLabels) {
        return Accuracy.plain(Arrays.stream(indices).map(i -> predicted[i]).toArray(),
                Arrays.stream(indices).map(i -> evaluationLabels[i]).toArray()).orElse(Double.NaN);
    }

    private interface Quota {
        int of(int count);
    }

    /** The most confident images of each predicted class, ties broken by index; indices returned ascending. */
    private static int[] perClass(int[] predicted, float[] confidence, Quota quota) {
        int classes = Arrays.stream(predicted).max().orElse(-1) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < predicted.length; i++) {
            byClass.get(predicted[i]).add(i);
        }
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> members : byClass) {
            members.sort(Comparator.comparingDouble((Integer i) -> -confidence[i]).thenComparingInt(i -> i));
            chosen.addAll(members.subList(0, quota.of(members.size())));
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** A row's most probable class (the first on a tie) and its probability. */
    public record Best(int label, float probability) {
    }

    /** The most probable class of one row of probabilities. */
    public static Best best(float[] probabilities) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return new Best(best, probabilities[best]);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PseudoLabels p && Arrays.equals(predicted, p.predicted)
                && Arrays.equals(confidence, p.confidence) && Arrays.equals(selected, p.selected);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(predicted) * 31 + Arrays.hashCode(selected);
    }

    @Override
    public String toString() {
        return "PseudoLabels[" + selected.length + " of " + predicted.length + " selected]";
    }
}
