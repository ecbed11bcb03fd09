package org.clipwb.core.adapt;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One named setting of an adaptation method: its kind, default, allowed values and a one-line description from the
 * method spec. The window builds its property sheet from these, and the CLI's {@code --set key=value} parses with them.
 *
 * @param key the name used in {@code --set key=value} and in saved settings, e.g. {@code phase1.epochs}
 * @param group the phase or part of the method the setting belongs to, for grouping in a property sheet
 * @param kind what values it takes
 * @param defaultValue the default, in the canonical text form {@link #parse} accepts
 * @param description one line from the method spec, with its provenance where it matters
 * @param min the smallest allowed number (numeric kinds; {@code -Infinity} for none)
 * @param max the largest allowed number (numeric kinds; {@code Infinity} for none)
 * @param choices the allowed values of a {@link Kind#CHOICE}; empty otherwise
 */
public record Setting(String key, String group, Kind kind, String defaultValue, String description, double min,
        double max, List<String> choices) {

    /** What values a setting takes. */
    public enum Kind {
        /** A whole number. */
        INTEGER,
        /** A real number. */
        DECIMAL,
        /** true or false. */
        FLAG,
        /** One of a fixed list of words. */
        CHOICE
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        choices = List.copyOf(choices);
        if (kind == Kind.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice setting " + key + " has no choices");
        }
        parse(key, kind, min, max, choices, defaultValue); // a default must itself be valid
    }

    /** A whole-number setting within [min, max]. */
    public static Setting integer(String key, String group, int defaultValue, int min, int max, String description) {
        return new Setting(key, group, Kind.INTEGER, Integer.toString(defaultValue), description, min, max, List.of());
    }

    /** A real-number setting within [min, max]. */
    public static Setting decimal(String key, String group, double defaultValue, double min, double max,
            String description) {
        return new Setting(key, group, Kind.DECIMAL, Double.toString(defaultValue), description, min, max, List.of());
    }

    /** A true/false setting. */
    public static Setting flag(String key, String group, boolean defaultValue, String description) {
        return new Setting(key, group, Kind.FLAG, Boolean.toString(defaultValue), description,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of());
    }

    /** A setting that takes one of {@code choices}; the first is the default when {@code defaultValue} is null. */
    public static Setting choice(String key, String group, String defaultValue, List<String> choices,
            String description) {
        return new Setting(key, group, Kind.CHOICE, defaultValue == null && !choices.isEmpty() ? choices.get(0)
                : defaultValue, description, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, choices);
    }

    /**
     * Parses a value of this setting: an {@link Integer}, {@link Double}, {@link Boolean} or the chosen word.
     *
     * @throws IllegalArgumentException naming the setting, the value and what it accepts
     */
    public Object parse(String raw) {
        return parse(key, kind, min, max, choices, raw);
    }

    // Static so that the compact constructor can validate the default before the fields are assigned.
    private static Object parse(String key, Kind kind, double min, double max, List<String> choices, String raw) {
        String value = raw == null ? "" : raw.trim();
        switch (kind) {
            case INTEGER -> {
                int parsed;
                try {
                    parsed = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw invalid(key, value, "a whole number");
                }
                checkRange(key, value, parsed, min, max);
                return parsed;
            }
            case DECIMAL -> {
                double parsed;
                try {
                    parsed = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw invalid(key, value, "a number");
                }
                if (!Double.isFinite(parsed)) {
                    throw invalid(key, value, "a finite number");
                }
                checkRange(key, value, parsed, min, max);
                return parsed;
            }
            case FLAG -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return Boolean.valueOf(lower);
                }
                throw invalid(key, value, "true or false");
            }
            case CHOICE -> {
                if (choices.contains(value)) {
                    return value;
                }
                throw invalid(key, value, "one of " + String.join(", ", choices));
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** The range or choices in words, for help texts: "1 to 100", "solid|outlined". */
    public String allowedValues() {
        return switch (kind) {
            case FLAG -> "true|false";
            case CHOICE -> String.join("|", choices);
            default -> range(min, max);
        };
    }

    private static String range(double min, double max) {
        return (Double.isInfinite(min) ? "" : "≥ " + format(min)) + (Double.isInfinite(min)
                || Double.isInfinite(max) ? "" : ", ") + (Double.isInfinite(max) ? "" : "≤ " + format(max));
    }

    private static void checkRange(String key, String value, double parsed, double min, double max) {
        if (parsed < min || parsed > max) {
            throw invalid(key, value, "a value " + range(min, max));
        }
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException("setting " + key + " is '" + value + "', but it must be " + expected);
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
