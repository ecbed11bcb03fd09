package org.clipwb.core.store;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Hugging Face model repo id, {@code owner/name}. The hub's own naming rules (letters, digits, '-', '_', '.', at
 * most 96 characters, no "--" or "..", no '-' or '.' at either end) keep it safe as a path and make the cache folder
 * name {@code owner--name} reversible.
 *
 * @param owner the user or organisation, for example {@code openai}
 * @param name  the repo name, for example {@code clip-vit-base-patch32}
 */
public record RepoId(String owner, String name) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?");
    private static final String FOLDER_SEPARATOR = "--";

    /** Validates both parts; see {@link #parse(String)} for the rules. */
    public RepoId {
        if (!isValidPart(owner) || !isValidPart(name)) {
            throw new IllegalArgumentException("'" + owner + "/" + name + "' is not a Hugging Face repo id: expected "
                    + "owner/name made of letters, digits, '-', '_' and '.', without '--' or '..'");
        }
    }

    /** The repo id in {@code spec}, or empty when {@code spec} is not of the form {@code owner/name}. */
    public static Optional<RepoId> tryParse(String spec) {
        int slash = spec.indexOf('/');
        if (slash < 0 || slash != spec.lastIndexOf('/')) {
            return Optional.empty();
        }
        String owner = spec.substring(0, slash);
        String name = spec.substring(slash + 1);
        return isValidPart(owner) && isValidPart(name) ? Optional.of(new RepoId(owner, name)) : Optional.empty();
    }

    /** Parses {@code owner/name}; throws {@link IllegalArgumentException} with the rules when it is not one. */
    public static RepoId parse(String spec) {
        return tryParse(spec).orElseThrow(() -> new IllegalArgumentException("'" + spec + "' is not a Hugging Face "
                + "repo id: expected owner/name made of letters, digits, '-', '_' and '.', without '--' or '..'"));
    }

    /** The repo id of a cache folder named by {@link #folderName()}, or empty for any other folder name. */
    public static Optional<RepoId> fromFolderName(String folderName) {
        int separator = folderName.indexOf(FOLDER_SEPARATOR);
        if (separator < 0) {
            return Optional.empty();
        }
        return tryParse(folderName.substring(0, separator) + "/" + folderName.substring(separator + 2));
    }

    /** The cache folder name, {@code owner--name} (a folder name cannot hold '/'). */
    public String folderName() {
        return owner + FOLDER_SEPARATOR + name;
    }

    private static boolean isValidPart(String part) {
        return part != null && PART.matcher(part).matches() && !part.contains("--") && !part.contains("..");
    }

    @Override
    public String toString() {
        return owner + "/" + name;
    }
}
