package org.clipwb.app.dataset;

/**
 * The images placed on the embedding map.
 *
 * @param indices each point's image index
 * @param coordinates each point's map position [P][2]
 * @param description what the map shows, e.g. "PCA of 600 images (71% of the variance)"
 */
public record MapPoints(int[] indices, float[][] coordinates, String description) {
    /** Number of points. */
    public int size() {
        return indices.length;
    }
}
