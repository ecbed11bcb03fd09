package org.clipwb.app.gallery;

/** Which images to show by whether their label changed, and against what. */
public enum FlipFilter {
    /** No filter. */
    ANY("Any label"),
    /** The shown run's label changed between two of its phases. */
    BETWEEN_PHASES("Flipped between phases"),
    /** The shown run's final label differs from the zero-shot prediction. */
    FROM_ZERO_SHOT("Differs from zero-shot"),
    /** The shown run's final label differs from the compared run's. */
    FROM_COMPARED_RUN("Differs from the compared run");

    private final String label;

    FlipFilter(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
