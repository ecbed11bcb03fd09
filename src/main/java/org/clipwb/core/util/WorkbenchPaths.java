package org.clipwb.core.util;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the workbench keeps its data: under {@code CLIPWB_HOME} when set, else {@code ~/.cache/clip-workbench}
 * (downloaded models in {@code models/}, the embedding cache in {@code embeddings.sqlite}).
 */
public final class WorkbenchPaths {
    private WorkbenchPaths() {
    }

    /** The root folder, from the process environment. */
    public static Path home() {
        return home(System.getenv());
    }

    /** The root folder, from {@code env}. */
    public static Path home(Map<String, String> env) {
        String configured = env.get("CLIPWB_HOME");
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "clip-workbench")
                : Path.of(configured.strip());
    }

    /** The SQLite embedding cache. */
    public static Path embeddingCache() {
        return home().resolve("embeddings.sqlite");
    }
}
