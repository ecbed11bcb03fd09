package org.clipwb.core.store;

/**
 * A model the store offers by name, for listing in the UI and the CLI.
 *
 * @param repoId      the hub repo id, for example {@code openai/clip-vit-base-patch32}
 * @param description one line for the user: architecture, download size, when to pick it
 */
public record KnownModel(String repoId, String description) {
}
