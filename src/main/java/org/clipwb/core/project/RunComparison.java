package org.clipwb.core.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Two sets of labels for the same images side by side (two runs, or a run and zero-shot): which images changed
 * label, and, with evaluation labels, how many changes fixed or broke a label.
 *
 * @param compared how many images both sets label
 * @param changes the images whose label differs, by path
 * @param accuracyA the accuracy of the first set on the compared images, when evaluation labels are known
 * @param accuracyB that of the second
 */
public record RunComparison(int compared, List<Change> changes, OptionalDouble accuracyA, OptionalDouble accuracyB) {
    public RunComparison {
        changes = List.copyOf(changes);
    }

    /** One image labelled differently; {@code truth} is its evaluation label or -1. */
    public record Change(String path, int labelA, int labelB, int truth) {
    }

    /**
     * Compares labels by image path.
     *
     * @param a the first set's label of each image
     * @param b the second's
     * @param truth evaluation labels by path (may be empty); a missing or negative one is unknown
     */
    public static RunComparison of(Map<String, Integer> a, Map<String, Integer> b, Map<String, Integer> truth) {
        List<Change> changes = new ArrayList<>();
        int compared = 0;
        int known = 0;
        int rightA = 0;
        int rightB = 0;
        for (String path : new TreeSet<>(a.keySet())) {
            Integer other = b.get(path);
            if (other == null) {
                continue;
            }
            compared++;
            int label = truth.getOrDefault(path, -1);
            if (label >= 0) {
                known++;
                rightA += a.get(path) == label ? 1 : 0;
                rightB += other == label ? 1 : 0;
            }
            if (!a.get(path).equals(other)) {
                changes.add(new Change(path, a.get(path), other, label));
            }
        }
        return new RunComparison(compared, changes, known == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) rightA / known), known == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) rightB / known));
    }

    /** How many changes made a wrong label right (the second set is right where the first was wrong). */
    public long fixedCount() {
        return changes.stream().filter(change -> change.truth() >= 0 && change.labelB() == change.truth()).count();
    }

    /** How many changes made a right label wrong. */
    public long brokenCount() {
        return changes.stream().filter(change -> change.truth() >= 0 && change.labelA() == change.truth()).count();
    }
}
