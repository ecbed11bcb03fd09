package org.clipwb.core.data;

import java.nio.file.Path;

/**
 * A project folder as {@code sample-projects/README.md} describes it: the photos in {@code images/} (class
 * subfolders are evaluation labels), the class list in {@code classes.txt} and, optionally, prompt templates in
 * {@code templates.txt}. Only names the files; it does not check that they exist.
 *
 * @param dir the project's folder
 */
public record ProjectFolder(Path dir) {
    /** The image folder. */
    public Path images() {
        return dir.resolve("images");
    }

    /** The class list: one class per line, {@code #} comments. */
    public Path classList() {
        return dir.resolve("classes.txt");
    }

    /** The prompt templates: one per line, each with {@code {}}. */
    public Path templates() {
        return dir.resolve("templates.txt");
    }
}
