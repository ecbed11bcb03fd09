package org.clipwb.app;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.geometry.Dimension2D;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.clipwb.app.ui.Theme;

/**
 * Remembers the window's size and the look between sessions, in a {@link Preferences} node (the recent projects are
 * kept in the same node by {@code RecentProjects}). The inputs are not kept here: they belong to each project.
 */
final class WorkbenchPreferences {
    /** The user node of the workbench. */
    static final String NODE = "/org/clipwb/workbench";

    private static final String THEME = "theme";
    private static final String WIDTH = "window.width";
    private static final String HEIGHT = "window.height";
    private static final String MAXIMIZED = "window.maximized";
    private static final double DEFAULT_WIDTH = 1360;
    private static final double DEFAULT_HEIGHT = 860;
    private static final double MIN_SIZE = 400;

    private final Preferences node;

    WorkbenchPreferences(Preferences node) {
        this.node = node;
    }

    /** The look of last time (light on a first start). */
    Theme theme() {
        return Theme.parse(node.get(THEME, Theme.LIGHT.name()));
    }

    /** Remembers the look. */
    void saveTheme(Theme theme) {
        node.put(THEME, theme.name());
    }

    /** The window size of last time (the default on a first start), within the primary screen. */
    Dimension2D windowSize() {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        return new Dimension2D(Math.min(dimension(WIDTH, DEFAULT_WIDTH), screen.getWidth()),
                Math.min(dimension(HEIGHT, DEFAULT_HEIGHT), screen.getHeight()));
    }

    /** Whether the window was maximised last time. */
    boolean windowMaximized() {
        return node.getBoolean(MAXIMIZED, false);
    }

    /** Remembers the window's size (the unmaximised one when it is maximised); a window never shown has none. */
    void saveWindow(Stage stage) {
        if (!stage.isShowing()) {
            return;
        }
        node.putBoolean(MAXIMIZED, stage.isMaximized());
        if (!stage.isMaximized()) {
            node.putDouble(WIDTH, stage.getWidth());
            node.putDouble(HEIGHT, stage.getHeight());
        }
    }

    /** Writes the preferences to their store now; a failure only loses them, so it is reported, not thrown. */
    void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            System.err.println("Cannot save the workbench preferences: " + e.getMessage());
        }
    }

    /** A remembered window dimension, or the default when it is missing or not a sensible size. */
    private double dimension(String key, double fallback) {
        double value = node.getDouble(key, fallback);
        return Double.isFinite(value) && value >= MIN_SIZE ? value : fallback;
    }
}
