package org.clipwb.app.gallery;

import java.util.Comparator;
import java.util.function.Function;

/**
 * The orders the gallery offers; ties fall back to the relative path so that the order is always the same. Orders by
 * confidence or class follow what the tiles show: the shown run's pseudo-labels, or the zero-shot predictions.
 */
public enum GallerySort {
    /** By file name, then folder. */
    FILE_NAME("File name", shown -> Comparator.comparing(GalleryItem::fileName, String.CASE_INSENSITIVE_ORDER)),
    /** Most confident first. */
    CONFIDENCE_HIGH_FIRST("Confidence: high to low",
            shown -> Comparator.comparingDouble(shown::confidence).reversed()),
    /** Least confident first: where to look for mistakes. */
    CONFIDENCE_LOW_FIRST("Confidence: low to high", shown -> Comparator.comparingDouble(shown::confidence)),
    /** Smallest zero-shot margin first: images CLIP hesitates on between two classes. */
    MARGIN_LOW_FIRST("Margin: most uncertain first", shown -> Comparator.comparingDouble(GalleryItem::margin)),
    /** Largest zero-shot margin first. */
    MARGIN_HIGH_FIRST("Margin: most certain first",
            shown -> Comparator.comparingDouble(GalleryItem::margin).reversed()),
    /** Grouped by pseudo-label (in class-list order), most confident first within a class. */
    PREDICTED_CLASS("Predicted class", shown -> Comparator.comparingInt(shown::pseudoLabel)
            .thenComparing(Comparator.comparingDouble(shown::confidence).reversed()));

    private final String label;
    private final Function<GalleryViewModel, Comparator<GalleryItem>> order;

    GallerySort(String label, Function<GalleryViewModel, Comparator<GalleryItem>> order) {
        this.label = label;
        this.order = order;
    }

    /** The order of what {@code gallery} shows, with the relative path as the last tie-breaker. */
    public Comparator<GalleryItem> comparator(GalleryViewModel gallery) {
        return order.apply(gallery).thenComparing(GalleryItem::relativePath);
    }

    @Override
    public String toString() {
        return label;
    }
}
