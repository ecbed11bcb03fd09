package org.clipwb.core.zeroshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;

/**
 * The evaluation label of each image, matched from its class subfolder to the class list. Labels exist only when
 * every label folder names a class; otherwise {@link #unmatchedFolders()} says which do not.
 *
 * @param labels class index per image of the folder, -1 where there is none
 */
public record EvaluationLabels(int[] labels, List<String> unmatchedFolders) {

    /** Matches an image folder's label subfolders to classes. */
    public static EvaluationLabels match(ImageFolder folder, ClassList classes) {
        int[] labels = new int[folder.entries().size()];
        Arrays.fill(labels, -1);
        if (!folder.hasEvaluationLabels()) {
            return new EvaluationLabels(labels, List.of());
        }
        List<String> unmatched = new ArrayList<>();
        for (String name : folder.labelFolders()) {
            if (classes.indexOf(name).isEmpty()) {
                unmatched.add(name);
            }
        }
        if (unmatched.isEmpty()) {
            for (int i = 0; i < labels.length; i++) {
                labels[i] = classes.indexOf(folder.entries().get(i).folderLabel().orElseThrow()).orElseThrow();
            }
        }
        return new EvaluationLabels(labels, List.copyOf(unmatched));
    }

    /** The label of each embedded image of {@code images} (-1 where there is none). */
    public int[] ofEmbedded(EmbeddedFolder images) {
        int[] embedded = new int[images.size()];
        for (int i = 0; i < embedded.length; i++) {
            embedded[i] = labels[images.entryIndices()[i]];
        }
        return embedded;
    }

    /** Whether accuracy can be computed: some image has a label. */
    public boolean available() {
        return Arrays.stream(labels).anyMatch(label -> label >= 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EvaluationLabels e && Arrays.equals(labels, e.labels)
                && unmatchedFolders.equals(e.unmatchedFolders);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + unmatchedFolders.hashCode();
    }

    @Override
    public String toString() {
        return "EvaluationLabels" + Arrays.toString(labels) + unmatchedFolders;
    }
}
