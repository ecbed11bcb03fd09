package org.clipwb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.prefs.Preferences;
import javafx.geometry.Dimension2D;
import org.clipwb.app.zeroshot.ZeroShotForm;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.PromptTemplates;
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
    void anUnknownRememberedPrecisionFallsBackToFp32() {
        node.put("precision", "fp8");
        ZeroShotForm form = new ZeroShotForm();
        form.precisionProperty().set(Precision.FP16);
        preferences.restore(form);
        assertEquals(Precision.FP32, form.precisionProperty().get());
    }

    @Test
    void firstStartOffersTheBundledDemoModelInFp32AndTheUsualTemplate() {
        ZeroShotForm form = new ZeroShotForm();
        preferences.restore(form);
        assertEquals("", form.imageFolderProperty().get());
        assertEquals(ModelStore.DEFAULT_MODEL, form.modelSpecProperty().get());
        assertEquals(Precision.FP32, form.precisionProperty().get());
        assertEquals(PromptTemplates.DEFAULT_TEMPLATE, form.templatesProperty().get());
        assertEquals("", form.classListProperty().get());
    }

    @Test
    void inputsComeBackIncludingClassListsLongerThanOnePreferenceValue() {
        String longList = "class number 00000\n".repeat(1000); // 19,000 characters, three parts
        ZeroShotForm form = new ZeroShotForm();
        form.imageFolderProperty().set("/photos");
        form.modelSpecProperty().set("/models/mine");
        form.precisionProperty().set(Precision.FP16);
        form.templatesProperty().set("openai80");
        form.classListProperty().set(longList);
        preferences.save(form);
        ZeroShotForm restored = new ZeroShotForm();
        preferences.restore(restored);
        assertEquals("/photos", restored.imageFolderProperty().get());
        assertEquals("/models/mine", restored.modelSpecProperty().get());
        assertEquals(Precision.FP16, restored.precisionProperty().get());
        assertEquals("openai80", restored.templatesProperty().get());
        assertEquals(longList, restored.classListProperty().get());

        form.classListProperty().set("cat\ndog");
        preferences.save(form);
        preferences.restore(restored);
        assertEquals("cat\ndog", restored.classListProperty().get());
        assertNull(node.get("classList.1", null), "parts of the longer list are removed");
    }
}
