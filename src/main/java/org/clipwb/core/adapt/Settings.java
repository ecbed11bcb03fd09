package org.clipwb.core.adapt;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a method's settings: every {@link Setting} at its default unless overridden. Immutable; overrides
 * are validated against the setting's kind and range, and an unknown key names the closest known one.
 */
public final class Settings {
    private final Map<String, Setting> specs;
    private final Map<String, Object> values;

    private Settings(Map<String, Setting> specs, Map<String, Object> values) {
        this.specs = specs;
        this.values = values;
    }

    /** Every setting at its default. */
    public static Settings defaults(List<Setting> settings) {
        Map<String, Setting> specs = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting setting : settings) {
            if (specs.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("setting " + setting.key() + " is declared twice");
            }
            values.put(setting.key(), setting.parse(setting.defaultValue()));
        }
        return new Settings(Collections.unmodifiableMap(specs), Collections.unmodifiableMap(values));
    }

    /**
     * These settings with {@code key=value} assignments applied in order (as {@code --set} gives them).
     *
     * @throws IllegalArgumentException for a malformed assignment, an unknown key or an invalid value
     */
    public Settings withAssignments(List<String> assignments) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + assignment + "' is not key=value (for example phase1.epochs=5)");
            }
            overrides.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1));
        }
        return with(overrides);
    }

    /** These settings with the given values (text form) replacing the current ones. */
    public Settings with(Map<String, String> overrides) {
        Map<String, Object> updated = new LinkedHashMap<>(values);
        overrides.forEach((key, raw) -> updated.put(key, spec(key).parse(raw)));
        return new Settings(specs, Collections.unmodifiableMap(updated));
    }

    /** The value of an integer setting. */
    public int integer(String key) {
        return (Integer) value(key, Setting.Kind.INTEGER);
    }

    /** The value of a decimal setting. */
    public double decimal(String key) {
        return (Double) value(key, Setting.Kind.DECIMAL);
    }

    /** The value of a flag. */
    public boolean flag(String key) {
        return (Boolean) value(key, Setting.Kind.FLAG);
    }

    /** The chosen word of a choice setting. */
    public String choice(String key) {
        return (String) value(key, Setting.Kind.CHOICE);
    }

    /** The declared settings, in declaration order. */
    public List<Setting> specs() {
        return List.copyOf(specs.values());
    }

    /** Every value in text form, in declaration order: what a run records and {@link #with} reads back. */
    public Map<String, String> asText() {
        Map<String, String> text = new LinkedHashMap<>();
        values.forEach((key, value) -> text.put(key, value.toString()));
        return text;
    }

    /** The values that differ from their defaults, in text form. */
    public Map<String, String> changed() {
        Map<String, String> text = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!value.equals(specs.get(key).parse(specs.get(key).defaultValue()))) {
                text.put(key, value.toString());
            }
        });
        return text;
    }

    private Object value(String key, Setting.Kind kind) {
        Setting spec = spec(key);
        if (spec.kind() != kind) {
            throw new IllegalStateException("setting " + key + " is a " + spec.kind() + ", not a " + kind);
        }
        return values.get(key);
    }

    private Setting spec(String key) {
        Setting spec = specs.get(key);
        if (spec == null) {
            String closest = specs.keySet().stream()
                    .min(Comparator.comparingInt(known -> editDistance(known, key))).orElse("");
            throw new IllegalArgumentException("unknown setting '" + key + "'"
                    + (closest.isEmpty() ? "" : " (did you mean " + closest + "?)") + "; known: "
                    + String.join(", ", specs.keySet()));
        }
        return spec;
    }

    /** Levenshtein distance, for suggesting the setting a typo meant. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Settings s && values.equals(s.values) && specs.equals(s.specs);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Settings" + values;
    }
}
