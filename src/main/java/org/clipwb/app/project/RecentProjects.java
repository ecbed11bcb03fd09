package org.clipwb.app.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** The projects opened lately, newest first, remembered in a {@link Preferences} node; folders gone are dropped. */
public final class RecentProjects {
    /** How many are remembered. */
    public static final int LIMIT = 8;
    private static final String KEY = "recentProject.";

    private final Preferences node;

    public RecentProjects(Preferences node) {
        this.node = node;
    }

    /** The remembered project folders that still exist, newest first. */
    public List<Path> list() {
        List<Path> projects = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            String value = node.get(KEY + i, null);
            if (value != null && Files.isDirectory(Path.of(value))) {
                projects.add(Path.of(value));
            }
        }
        return projects;
    }

    /** Puts {@code project} first, dropping an earlier mention of it and the oldest beyond the limit. */
    public void add(Path project) {
        Path normalized = project.toAbsolutePath().normalize();
        List<Path> projects = new ArrayList<>(list());
        projects.remove(normalized);
        projects.add(0, normalized);
        for (int i = 0; i < LIMIT; i++) {
            if (i < projects.size()) {
                node.put(KEY + i, projects.get(i).toString());
            } else {
                node.remove(KEY + i);
            }
        }
    }

    /** The newest project, if one is remembered and still there. */
    public Path latest() {
        List<Path> projects = list();
        return projects.isEmpty() ? null : projects.get(0);
    }
}
