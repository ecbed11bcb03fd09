package org.clipwb.app.gallery;

/**
 * A choice of the gallery's class filter: every class, or one predicted class, with how many images it holds.
 *
 * @param classIndex the class, or {@link #ALL} for every class
 */
public record ClassFilter(int classIndex, String name, int count) {
    /** The class index of the "All classes" choice. */
    public static final int ALL = -1;

    /** Whether an item passes. */
    public boolean accepts(GalleryItem item) {
        return classIndex == ALL || item.predicted() == classIndex;
    }

    @Override
    public String toString() {
        return name + " (" + count + ")";
    }
}
