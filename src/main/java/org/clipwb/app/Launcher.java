package org.clipwb.app;

import javafx.application.Application;

/**
 * The desktop app's main class for a plain classpath: Java refuses to start an {@link Application} subclass as the
 * main class when JavaFX is not on the module path ("JavaFX runtime components are missing").
 */
public final class Launcher {
    private Launcher() {
    }

    /** Starts {@link WorkbenchApp}. */
    public static void main(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
