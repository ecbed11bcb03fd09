package org.clipwb.core.adapt;

import java.util.OptionalDouble;

/** Accuracy of predictions against evaluation labels (-1 = unknown), plain and balanced over classes. */
public final class Accuracy {
    private Accuracy() {
    }

    /** The fraction of labelled images predicted right, when some image has a label. */
    public static OptionalDouble plain(int[] predicted, int[] labels) {
        int checked = 0;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                checked++;
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
        }
        return checked == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) correct / checked);
    }

    /** The mean over classes that have labelled images of each class's recall, when some image has a label. */
    public static OptionalDouble balanced(int[] predicted, int[] labels, int classes) {
        int[] seen = new int[classes];
        int[] right = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                seen[labels[i]]++;
                right[labels[i]] += predicted[i] == labels[i] ? 1 : 0;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (seen[c] > 0) {
                sum += (double) right[c] / seen[c];
                present++;
            }
        }
        return present == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / present);
    }
}
