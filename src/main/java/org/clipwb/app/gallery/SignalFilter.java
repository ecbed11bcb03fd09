package org.clipwb.app.gallery;

/** A yes/no filter on one per-image signal (clean, the two models agree, a labeled shot), or no filter. */
public enum SignalFilter {
    ANY("Any"), YES("Yes"), NO("No");

    private final String label;

    SignalFilter(String label) {
        this.label = label;
    }

    /** Whether an image with the signal {@code value} passes. */
    boolean accepts(boolean value) {
        return this == ANY || (this == YES) == value;
    }

    @Override
    public String toString() {
        return label;
    }
}
