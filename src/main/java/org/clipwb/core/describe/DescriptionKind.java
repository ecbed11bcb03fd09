package org.clipwb.core.describe;

/** What a description is of. */
public enum DescriptionKind {
    CLASS("classes"),
    IMAGE("images"),
    GROUP("groups");

    private final String plural;

    DescriptionKind(String plural) {
        this.plural = plural;
    }

    /** "images". */
    public String plural() {
        return plural;
    }
}
