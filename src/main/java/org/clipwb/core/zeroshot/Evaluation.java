package org.clipwb.core.zeroshot;

import java.util.List;

/**
 * Accuracy and confusion matrix against evaluation labels (class subfolders). Labels are only ever compared with
 * predictions here; nothing else in the workbench may use them.
 *
 * @param confusion counts [true class][predicted class]
 */
public record Evaluation(ClassList classes, int[][] confusion, int total, int correct) {

    /**
     * Scores predictions against labels; an entry of {@code labels} that is negative (no label) is skipped.
     */
    public static Evaluation of(ClassList classes, List<Prediction> predictions, int[] labels) {
        if (labels.length != predictions.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + predictions.size() + " predictions");
        }
        int[][] confusion = new int[classes.size()][classes.size()];
        int total = 0;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            int predicted = predictions.get(i).predicted();
            confusion[labels[i]][predicted]++;
            total++;
            if (predicted == labels[i]) {
                correct++;
            }
        }
        return new Evaluation(classes, confusion, total, correct);
    }

    /** Fraction of labelled images predicted correctly (0 when none is labelled). */
    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Recall of one class: its correctly predicted images over its labelled images (NaN when it has none). */
    public double classAccuracy(int classIndex) {
        int row = 0;
        for (int count : confusion[classIndex]) {
            row += count;
        }
        return row == 0 ? Double.NaN : (double) confusion[classIndex][classIndex] / row;
    }

    /** The confusion matrix as an aligned text table (rows: true class, columns: predicted). */
    public String confusionTable() {
        List<String> names = classes.names();
        String corner = "true \\ predicted";
        int width = Math.max(corner.length(), names.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder table = new StringBuilder(String.format("%-" + width + "s", corner));
        for (int c = 0; c < names.size(); c++) {
            table.append(String.format(" %6s", abbreviate(names.get(c))));
        }
        table.append('\n');
        for (int r = 0; r < names.size(); r++) {
            table.append(String.format("%-" + width + "s", names.get(r)));
            for (int c = 0; c < names.size(); c++) {
                table.append(String.format(" %6d", confusion[r][c]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    private static String abbreviate(String name) {
        return name.length() <= 6 ? name : name.substring(0, 6);
    }
}
