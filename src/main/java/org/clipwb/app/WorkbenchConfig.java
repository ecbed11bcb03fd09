package org.clipwb.app;

import java.nio.file.Path;
import java.util.prefs.Preferences;
import org.clipwb.core.demo.SampleProjects;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.WorkbenchPaths;

/**
 * What the workbench window works with, injected so that tests use their own model cache, embedding cache,
 * preferences and sample-project folders instead of the user's.
 *
 * @param modelStore     resolves and downloads models
 * @param embeddingCache the SQLite embedding cache file
 * @param preferences    where the last inputs and the window size are remembered
 * @param sampleProjects where the sample projects are found or generated
 * @param projectsHome   where new projects (and the catalogs of the sample projects) are made by default
 */
public record WorkbenchConfig(ModelStore modelStore, Path embeddingCache, Preferences preferences,
        SampleProjects sampleProjects, Path projectsHome) {
    /** The folder of projects in the workbench home, the one the command line's {@code --project} default is in. */
    public static final String PROJECTS_FOLDER = "projects";

    /** A configuration whose projects are made in {@code projects/} beside the embedding cache (the workbench home). */
    public WorkbenchConfig(ModelStore modelStore, Path embeddingCache, Preferences preferences,
            SampleProjects sampleProjects) {
        this(modelStore, embeddingCache, preferences, sampleProjects,
                embeddingCache.toAbsolutePath().getParent().resolve(PROJECTS_FOLDER));
    }

    /** A configuration with the environment's sample projects, for tests that do not open one. */
    public WorkbenchConfig(ModelStore modelStore, Path embeddingCache, Preferences preferences) {
        this(modelStore, embeddingCache, preferences, SampleProjects.fromEnvironment());
    }

    /**
     * The user's setup: the environment's model store and cache, the {@code /org/clipwb/workbench} node, and the
     * sample projects of the working directory or the workbench home.
     */
    public static WorkbenchConfig fromEnvironment() {
        return new WorkbenchConfig(ModelStore.fromEnvironment(), WorkbenchPaths.embeddingCache(),
                Preferences.userRoot().node(WorkbenchPreferences.NODE), SampleProjects.fromEnvironment(),
                WorkbenchPaths.home().resolve(PROJECTS_FOLDER));
    }
}
