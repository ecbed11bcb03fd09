package org.clipwb.core.adapt.label;

import java.util.List;
import java.util.Locale;

/**
 * How confident pseudo-labels are chosen from predictions (methods.md §1.10, §4.4 Phase 0): the K most confident
 * images of each predicted class (UPL's rule), all images above a global confidence threshold, the most confident
 * fraction of each predicted class, or every image.
 */
public enum Selection {
    /** The K most confident images of each predicted class (UPL's {@code select_top_k_similarity_per_class}). */
    TOP_K_PER_CLASS("top-k"),
    /** Every image whose confidence is at least the threshold. */
    THRESHOLD("threshold"),
    /** The most confident fraction r of each predicted class (at least one image per predicted class). */
    TOP_FRACTION_PER_CLASS("top-fraction"),
    /** Every image, whatever its confidence. */
    ALL("all");

    /** The words settings use for the rules, in declaration order. */
    public static final List<String> WORDS = List.of("top-k", "threshold", "top-fraction", "all");

    private final String word;

    Selection(String word) {
        this.word = word;
    }

    /** The word a setting uses for this rule. */
    public String word() {
        return word;
    }

    /** The rule a setting's word names. */
    public static Selection of(String word) {
        for (Selection selection : values()) {
            if (selection.word.equals(word.toLowerCase(Locale.ROOT))) {
                return selection;
            }
        }
        throw new IllegalArgumentException("unknown pseudo-label selection '" + word + "' (known: "
                + String.join(", ", WORDS) + ")");
    }
}
