package org.clipwb.app.ui;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Error dialogs: the message up front, the stack trace behind "Show Details"; never blocking the caller. */
public final class ErrorDialogs {
    private ErrorDialogs() {
    }

    /** Shows an error about {@code what} (for example "Zero-shot run failed"); call on the FX thread. */
    public static Alert show(Window owner, String what, Throwable error) {
        String message = error.getMessage() == null || error.getMessage().isBlank() ? error.getClass().getName()
                : error.getMessage();
        Alert alert = show(owner, what, message);
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        TextArea details = new TextArea(trace.toString());
        details.setEditable(false);
        details.setPrefRowCount(14);
        alert.getDialogPane().setExpandableContent(new VBox(4, new Label("Technical details:"), details));
        return alert;
    }

    /** Shows an error message about {@code what}; call on the FX thread. */
    public static Alert show(Window owner, String what, String message) {
        Alert alert = Theme.follow(new Alert(Alert.AlertType.ERROR));
        alert.initOwner(owner);
        alert.setTitle("CLIP Workbench");
        alert.setHeaderText(what);
        Label content = new Label(message);
        content.setWrapText(true);
        // A wrapping label still asks for its whole text's width: fix the width so that long messages wrap.
        content.setPrefWidth(560);
        content.setMinHeight(Region.USE_PREF_SIZE);
        alert.getDialogPane().setContent(content);
        alert.show();
        return alert;
    }

    /**
     * Makes every uncaught exception, on any thread, print its stack trace and show an error dialog instead of dying
     * silently. A second error while such a dialog is open is only printed, so a failure that repeats on every frame
     * cannot bury the window in dialogs.
     *
     * @return the handler that was installed before, to restore when the application stops
     */
    public static Thread.UncaughtExceptionHandler installUncaughtHandler(Supplier<Window> owner) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        AtomicBoolean showing = new AtomicBoolean();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            System.err.println("Uncaught exception in thread \"" + thread.getName() + "\":");
            error.printStackTrace();
            if (!showing.compareAndSet(false, true)) {
                return;
            }
            try {
                // Deferred even on the FX thread: the error may have come from the middle of a layout pass.
                Platform.runLater(() -> {
                    Alert alert = show(owner.get(), "Unexpected error (please report it)", error);
                    alert.setOnHidden(event -> showing.set(false));
                });
            } catch (IllegalStateException toolkitGone) {
                showing.set(false);
            }
        });
        return previous;
    }
}
