package org.clipwb.app.dataset;

/** How the embedding map places the images in 2-D. */
public enum MapProjection {
    /** The two leading principal components: every image, linear, fast. */
    PCA("PCA"),
    /** Exact t-SNE of a seeded sample: neighbourhoods kept, distances between clusters not meaningful. */
    TSNE("t-SNE");

    private final String title;

    MapProjection(String title) {
        this.title = title;
    }

    @Override
    public String toString() {
        return title;
    }
}
