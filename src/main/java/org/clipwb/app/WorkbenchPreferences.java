package org.clipwb.app;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.geometry.Dimension2D;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.clipwb.app.zeroshot.ZeroShotForm;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.PromptTemplates;

/** Remembers the last inputs and the window size between sessions, in a {@link Preferences} node. */
final class WorkbenchPreferences {
    /** The user node of the workbench. */
    static final String NODE = "/org/clipwb/workbench";

    private static final String IMAGE_FOLDER = "imageFolder";
    private static final String MODEL = "model";
    private static final String PRECISION = "precision";
    private static final String TEMPLATES = "templates";
    private static final String CLASS_LIST = "classList";
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

    /**
     * Fills the form with the last inputs; a first start gets the default model (the bundled demo model) in fp32
     * and CLIP's usual template.
     */
    void restore(ZeroShotForm form) {
        form.imageFolderProperty().set(node.get(IMAGE_FOLDER, ""));
        form.modelSpecProperty().set(node.get(MODEL, ModelStore.DEFAULT_MODEL));
        form.precisionProperty().set(precision());
        form.templatesProperty().set(node.get(TEMPLATES, PromptTemplates.DEFAULT_TEMPLATE));
        form.classListProperty().set(getLong(CLASS_LIST));
    }

    /** Remembers the form's inputs. */
    void save(ZeroShotForm form) {
        node.put(IMAGE_FOLDER, form.imageFolderProperty().get());
        node.put(MODEL, form.modelSpecProperty().get());
        node.put(PRECISION, form.precisionProperty().get().toString());
        node.put(TEMPLATES, form.templatesProperty().get());
        putLong(CLASS_LIST, form.classListProperty().get());
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

    /** The remembered precision, or fp32 when there is none or it is not one (the store was edited by hand). */
    private Precision precision() {
        try {
            return Precision.parse(node.get(PRECISION, Precision.FP32.toString()));
        } catch (IllegalArgumentException e) {
            return Precision.FP32;
        }
    }

    /** A remembered window dimension, or the default when it is missing or not a sensible size. */
    private double dimension(String key, double fallback) {
        double value = node.getDouble(key, fallback);
        return Double.isFinite(value) && value >= MIN_SIZE ? value : fallback;
    }

    /**
     * A value of any length: Preferences limits values to {@link Preferences#MAX_VALUE_LENGTH} characters, which a
     * long class list (ImageNet's thousand classes) exceeds, so it is kept in numbered parts.
     */
    private void putLong(String key, String value) {
        int parts = (value.length() + Preferences.MAX_VALUE_LENGTH - 1) / Preferences.MAX_VALUE_LENGTH;
        int previous = node.getInt(key + ".parts", 0);
        for (int i = 0; i < parts; i++) {
            node.put(key + "." + i, value.substring(i * Preferences.MAX_VALUE_LENGTH,
                    Math.min(value.length(), (i + 1) * Preferences.MAX_VALUE_LENGTH)));
        }
        for (int i = parts; i < previous; i++) {
            node.remove(key + "." + i);
        }
        node.putInt(key + ".parts", parts);
    }

    private String getLong(String key) {
        StringBuilder value = new StringBuilder();
        int parts = node.getInt(key + ".parts", 0);
        for (int i = 0; i < parts; i++) {
            value.append(node.get(key + "." + i, ""));
        }
        return value.toString();
    }
}
