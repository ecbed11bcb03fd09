package org.clipwb.app.gallery;

import java.util.Comparator;

/** The orders the gallery offers; ties fall back to the relative path so that the order is always the same. */
public enum GallerySort {
    /** By file name, then folder. */
    FILE_NAME("File name", Comparator.comparing(GalleryItem::fileName, String.CASE_INSENSITIVE_ORDER)),
    /** Most confident first. */
    CONFIDENCE_HIGH_FIRST("Confidence: high to low", Comparator.comparingDouble(GalleryItem::confidence).reversed()),
    /** Least confident first: where to look for mistakes. */
    CONFIDENCE_LOW_FIRST("Confidence: low to high", Comparator.comparingDouble(GalleryItem::confidence)),
    /** Smallest margin first: images CLIP hesitates on between two classes. */
    MARGIN_LOW_FIRST("Margin: most uncertain first", Comparator.comparingDouble(GalleryItem::margin)),
    /** Largest margin first. */
    MARGIN_HIGH_FIRST("Margin: most certain first", Comparator.comparingDouble(GalleryItem::margin).reversed()),
    /** Grouped by predicted class (in class-list order), most confident first within a class. */
    PREDICTED_CLASS("Predicted class", Comparator.comparingInt(GalleryItem::predicted)
            .thenComparing(Comparator.comparingDouble(GalleryItem::confidence).reversed()));

    private final String label;
    private final Comparator<GalleryItem> comparator;

    GallerySort(String label, Comparator<GalleryItem> order) {
        this.label = label;
        this.comparator = order.thenComparing(GalleryItem::relativePath);
    }

    /** The order, with the relative path as the last tie-breaker. */
    public Comparator<GalleryItem> comparator() {
        return comparator;
    }

    @Override
    public String toString() {
        return label;
    }
}
