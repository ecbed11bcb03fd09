package org.clipwb.app;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
