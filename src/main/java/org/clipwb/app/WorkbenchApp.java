package org.clipwb.app;

import java.io.IOException;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Dimension2D;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.clipwb.app.ui.ErrorDialogs;
import org.clipwb.app.ui.Theme;

/**
 * The CLIP Workbench desktop application. Options: {@code --images=DIR --model=ID_OR_DIR --precision=fp32|fp16
 * --classes=FILE --templates=T --run} (see {@link StartupOptions}) fill the form as a draft; without them the
 * project opened last is opened again.
 */
public class WorkbenchApp extends Application {
    /** The window title. */
    public static final String TITLE = "CLIP Workbench";

    private WorkbenchConfig config;
    private WorkbenchWindow window;
    private WorkbenchPreferences preferences;
    private Stage stage;
    private boolean handlerInstalled;
    private Thread.UncaughtExceptionHandler previousHandler;

    /** The application with the user's configuration (used by {@link Application#launch}). */
    public WorkbenchApp() {
        this(null);
    }

    /** The application with an injected configuration, for tests; null means the user's. */
    public WorkbenchApp(WorkbenchConfig config) {
        this.config = config;
    }

    /** Starts the app; see {@link Launcher} to start it from a plain classpath. */
    public static void main(String[] args) {
        launch(args);
    }

    @Override
    public void start(Stage primaryStage) {
        stage = primaryStage;
        previousHandler = ErrorDialogs.installUncaughtHandler(() -> stage);
        handlerInstalled = true;
        if (config == null) {
            config = WorkbenchConfig.fromEnvironment();
        }
        preferences = new WorkbenchPreferences(config.preferences());
        window = new WorkbenchWindow(config, path -> getHostServices().showDocument(path.toUri().toString()),
                preferences.theme());
        StartupOptions options = StartupOptions.NONE;
        Exception optionsError = null;
        try {
            options = StartupOptions.parse(getParameters() == null ? List.of() : getParameters().getRaw());
            options.applyTo(window.zeroShot().form());
        } catch (IllegalArgumentException | IOException e) {
            optionsError = e;
        }
        Dimension2D size = preferences.windowSize();
        Scene scene = Theme.follow(new Scene(window.root(), size.getWidth(), size.getHeight()));
        window.menus().themeProperty().get().apply();
        window.menus().themeProperty().addListener((observable, old, theme) -> {
            theme.apply();
            preferences.saveTheme(theme);
        });
        window.installShortcuts(scene);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        stage.setMaximized(preferences.windowMaximized());
        stage.show();
        if (optionsError != null) {
            ErrorDialogs.show(stage, "Cannot use the command-line options", optionsError);
        } else if (options.run()) {
            Platform.runLater(window.zeroShot()::run);
        } else if (options.equals(StartupOptions.NONE) && window.projects().recentProjects().size() > 0) {
            window.projects().open(window.projects().recentProjects().get(0), project -> window.zeroShot().run());
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            preferences.saveWindow(stage);
            preferences.flush();
            window.close();
        }
        if (handlerInstalled) {
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        }
    }

    /** The window's content, for tests in this package. */
    WorkbenchWindow window() {
        return window;
    }
}
