package org.clipwb.app;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.Label;
import org.controlsfx.control.StatusBar;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the window's tests read of its state, read on the FX thread. */
final class WindowReads {
    private WindowReads() {
    }

    /** The status bar's text. */
    static String status(FxRobot robot) throws Exception {
        StatusBar bar = robot.lookup("#statusBar").query();
        return fx(bar::getText);
    }

    /**
     * The status bar's text once it starts with {@code prefix}, waiting up to 10 s: after a run, debounced work
     * (checking the training inputs, summarising the dataset) may show its message for a moment before the status
     * returns to how the run ended. Fails with the last text seen when it never does.
     */
    static String settledStatus(FxRobot robot, String prefix) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> status(robot).startsWith(prefix));
        } catch (TimeoutException e) {
            throw new AssertionError("the status never started with \"" + prefix + "\"; it reads \""
                    + status(robot) + "\"", e);
        }
        return status(robot);
    }

    /** The text of the label {@code query} finds. */
    static String text(FxRobot robot, String query) throws Exception {
        Label label = robot.lookup(query).queryAs(Label.class);
        return fx(label::getText);
    }

    /** {@code read}'s result, computed on the FX thread within 10 s. */
    static <T> T fx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }
}
