package org.clipwb.core.adapt;

import java.util.List;

/**
 * What a method is, for people and for the window: its id ({@code --method}), title, the paper it follows, its
 * phases and its settings.
 */
public record MethodInfo(String id, String title, String paper, List<PhaseInfo> phases, List<Setting> settings) {

    public MethodInfo {
        phases = List.copyOf(phases);
        settings = List.copyOf(settings);
    }

    /** Every setting at its default. */
    public Settings defaults() {
        return Settings.defaults(settings);
    }

    /** One phase of a method. */
    public record PhaseInfo(String id, String title, String description) {
    }
}
