package org.clipwb.app.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.clipwb.core.store.HubClient;
import org.clipwb.core.store.ModelStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/** What the zero-shot view-model offers before the user has chosen anything. */
class ZeroShotViewModelTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage(); // session state changes arrive through Platform.runLater
    }

    @Test
    void startsAtTheBundledDemoModelWhichIsAvailableOfflineWithNothingDownloaded() {
        ModelStore offlineAndEmpty = new ModelStore(dir.resolve("models"), HubClient.builder().build(), true);
        try (ZeroShotViewModel viewModel = new ZeroShotViewModel(offlineAndEmpty, dir.resolve("embeddings.sqlite"))) {
            assertEquals(ModelStore.DEFAULT_MODEL, viewModel.form().modelSpecProperty().get());
            ModelChoices choices = viewModel.modelChoices();
            assertEquals(ModelStore.DEFAULT_MODEL, choices.specs().get(0));
            ModelChoices.Choice demo = choices.choice(ModelStore.DEFAULT_MODEL);
            assertTrue(demo.bundled());
            assertFalse(demo.downloaded(), "bundled, not downloaded");
            assertTrue(choices.describe(ModelStore.DEFAULT_MODEL).endsWith("(bundled: works offline, no download)"),
                    choices.describe(ModelStore.DEFAULT_MODEL));

            ModelChoices.Choice hubModel = choices.choice("openai/clip-vit-base-patch32");
            assertFalse(hubModel.bundled() || hubModel.downloaded());
            assertEquals(hubModel.description(), choices.describe("openai/clip-vit-base-patch32"));
        }
    }
}
