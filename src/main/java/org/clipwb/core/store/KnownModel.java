package org.clipwb.core.store;

/**
 * A model the store offers by name, for listing in the UI and the CLI.
 *
 * @param spec        what to pass as the model: a hub repo id such as {@code openai/clip-vit-base-patch32}, or the
 *                    name of a bundled model ({@code demo})
 * @param description one line for the user: architecture, download size, when to pick it
 * @param bundled     whether the model ships with the workbench: always available, offline too, never downloaded
 */
public record KnownModel(String spec, String description, boolean bundled) {
}
