package org.clipwb.testing;

import java.nio.file.Path;
import org.clipwb.app.WorkbenchContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * A headless view test on the {@link DemoRunFixture}: the fixture is made once per class, and each test gets a fresh
 * {@link WorkbenchContext} showing its project and zero-shot result, closed with the test's stages.
 */
public abstract class DemoRunViewTest extends FxRobot {
    @TempDir
    static Path fixtureDir;
    protected static DemoRunFixture fixture;

    protected WorkbenchContext context;

    @BeforeAll
    static void prepareFixture() throws Exception {
        FxToolkit.registerPrimaryStage();
        fixture = DemoRunFixture.create(fixtureDir);
    }

    @AfterAll
    static void closeFixture() throws Exception {
        fixture.close();
    }

    @BeforeEach
    void openContext() {
        interact(() -> {
            context = new WorkbenchContext();
            context.setProject(fixture.project());
            context.setZeroShotResult(fixture.zeroShot());
        });
    }

    @AfterEach
    void closeContext() throws Exception {
        interact(() -> context.close());
        FxToolkit.cleanupStages();
    }
}
