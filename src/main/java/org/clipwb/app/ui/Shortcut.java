package org.clipwb.app.ui;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * The workbench's keyboard shortcuts, one list for the menus, the window's accelerators and the cheat sheet, so that
 * what the cheat sheet says is what the keys do.
 */
public enum Shortcut {
    NEW_PROJECT("New project", new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN)),
    OPEN_PROJECT("Open project", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN)),
    CLOSE_PROJECT("Close project", new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN)),
    RUN("Run zero-shot (or re-classify)", new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN)),
    CANCEL("Cancel the run", new KeyCodeCombination(KeyCode.ESCAPE)),
    GALLERY_TAB("Show the gallery", new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN)),
    SECOND_TAB("Show the second tab", new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN)),
    THIRD_TAB("Show the third tab", new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN)),
    FOURTH_TAB("Show the fourth tab", new KeyCodeCombination(KeyCode.DIGIT4, KeyCombination.SHORTCUT_DOWN)),
    TOGGLE_THEME("Switch between light and dark", new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN)),
    SHORTCUTS("Keyboard shortcuts (this list)", new KeyCodeCombination(KeyCode.F1)),
    MOVE("Gallery: move the focus", null, "Arrow keys"),
    EXTEND("Gallery: extend the selection", null, "Shift+Arrow keys, Shift+click"),
    TOGGLE("Gallery: add or remove an image", null, "Ctrl+click"),
    SELECT_ALL("Gallery: select every shown image", new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN)),
    VOUCH("Gallery: vouch for the selected labels", new KeyCodeCombination(KeyCode.V)),
    CORRECT("Gallery: correct the selected labels", new KeyCodeCombination(KeyCode.C));

    private final String description;
    private final KeyCombination keys;
    private final String keysText;

    Shortcut(String description, KeyCombination keys) {
        this(description, keys, null);
    }

    Shortcut(String description, KeyCombination keys, String keysText) {
        this.description = description;
        this.keys = keys;
        this.keysText = keysText;
    }

    /** What it does. */
    public String description() {
        return description;
    }

    /** The key combination, or null for gestures that are not a single combination (arrows, clicks). */
    public KeyCombination keys() {
        return keys;
    }

    /** The keys as the platform writes them, e.g. "Ctrl+N". */
    public String keysText() {
        return keysText != null ? keysText : keys.getDisplayText();
    }
}
