package org.clipwb.app.zeroshot;

/**
 * The outcome of checking one input: a value, or a message that tells the user what is wrong (never both).
 *
 * @param value the parsed input, or null when invalid
 * @param error what is wrong, or null when valid
 */
public record Checked<T>(T value, String error) {
    /** A valid input. */
    public static <T> Checked<T> valid(T value) {
        return new Checked<>(value, null);
    }

    /** An invalid input and why. */
    public static <T> Checked<T> invalid(String error) {
        return new Checked<>(null, error);
    }

    /** Whether the input is valid. */
    public boolean ok() {
        return error == null;
    }
}
