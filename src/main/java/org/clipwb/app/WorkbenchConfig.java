package org.clipwb.app;

import java.nio.file.Path;
import java.util.prefs.Preferences;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.WorkbenchPaths;

/**
 * What the workbench window works with, injected so that tests use their own model cache, embedding cache and
 * preferences instead of the user's.
 *
 * @param modelStore     resolves and downloads models
 * @param embeddingCache the SQLite embedding cache file
 * @param preferences    where the last inputs and the window size are remembered
 */
public record WorkbenchConfig(ModelStore modelStore, Path embeddingCache, Preferences preferences) {
    /** The user's setup: the environment's model store and cache, and the {@code /org/clipwb/workbench} node. */
    public static WorkbenchConfig fromEnvironment() {
        return new WorkbenchConfig(ModelStore.fromEnvironment(), WorkbenchPaths.embeddingCache(),
                Preferences.userRoot().node(WorkbenchPreferences.NODE));
    }
}
