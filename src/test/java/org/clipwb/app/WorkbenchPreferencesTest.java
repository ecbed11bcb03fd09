package org.clipwb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.prefs.Preferences;
import javafx.geometry.Dimension2D;
import org.clipwb.app.ui.Theme;
import org.clipwb.testing.InMemoryPreferences;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

class WorkbenchPreferencesTest {
    private final Preferences node = new InMemoryPreferences().node("workbench");
    private final WorkbenchPreferences preferences = new WorkbenchPreferences(node);

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage(); // the window size is checked against the screen
    }

    @Test
    void unusableWindowSizesFallBackToTheDefault() {
        Dimension2D fallback = preferences.windowSize();
        node.putDouble("window.width", Double.NaN);
        node.putDouble("window.height", 12);
        assertEquals(fallback, preferences.windowSize());
        node.putDouble("window.width", 900);
        node.putDouble("window.height", 600);
        assertEquals(new Dimension2D(900, 600), preferences.windowSize());
    }

    @Test
    void theThemeComesBackAndAnUnknownOneIsLight() {
        assertEquals(Theme.LIGHT, preferences.theme(), "a first start is light");
        preferences.saveTheme(Theme.DARK);
        assertEquals(Theme.DARK, new WorkbenchPreferences(node).theme());
        node.put("theme", "sepia");
        assertEquals(Theme.LIGHT, preferences.theme());
    }
}
