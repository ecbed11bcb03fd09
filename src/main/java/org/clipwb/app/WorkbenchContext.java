package org.clipwb.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * What every view of the window shares, on the FX thread: the open project (and its catalog), the loaded model, the
 * latest zero-shot result, the project's runs and the selection (images and run), plus two services: background
 * work with its progress in the status bar, and error dialogs. The shell sets the values; views read and observe
 * them, and may change the selection.
 */
public final class WorkbenchContext implements AutoCloseable {
    private final ReadOnlyObjectWrapper<WorkbenchProject> project = new ReadOnlyObjectWrapper<>(this, "project");
    private final ReadOnlyObjectWrapper<Clip> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<ZeroShotResult> zeroShotResult = new ReadOnlyObjectWrapper<>(this,
            "zeroShotResult");
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> runsView = FXCollections.unmodifiableObservableList(runs);
    private final ObjectProperty<GalleryItem> selectedImage = new SimpleObjectProperty<>(this, "selectedImage");
    private final ObservableList<GalleryItem> selectedImages = FXCollections.observableArrayList();
    private final ObjectProperty<RunRecord> selectedRun = new SimpleObjectProperty<>(this, "selectedRun");
    private final ReadOnlyStringWrapper backgroundMessage = new ReadOnlyStringWrapper(this, "backgroundMessage", "");
    private final ReadOnlyDoubleWrapper backgroundProgress = new ReadOnlyDoubleWrapper(this, "backgroundProgress");
    private final ExecutorService background = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "clipwb-background");
        thread.setDaemon(true);
        return thread;
    });
    private final ObservableList<Task<?>> tasks = FXCollections.observableArrayList();
    private BiConsumer<String, Throwable> errorHandler = (what, error) -> System.err.println(what + ": " + error);
    private Consumer<Path> fileOpener = path -> { };

    // ---- what views read ----

    /** The open project, or null when none is open. */
    public ReadOnlyObjectProperty<WorkbenchProject> projectProperty() {
        return project.getReadOnlyProperty();
    }

    /** The open project, or null. */
    public WorkbenchProject project() {
        return project.get();
    }

    /** The open project's catalog (settings, labeled shots, runs, predictions), or null when none is open. */
    public ProjectCatalog catalog() {
        return project.get() == null ? null : project.get().catalog();
    }

    /**
     * The model in memory, or null until a run loaded one. The workbench owns it (never close it); it is replaced
     * when the project's model or precision changes. Its embedding methods are synchronized: call them off the FX
     * thread, for example in {@link #runInBackground}.
     */
    public ReadOnlyObjectProperty<Clip> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** The latest zero-shot result of the open project (predictions, embeddings, evaluation), or null. */
    public ReadOnlyObjectProperty<ZeroShotResult> zeroShotResultProperty() {
        return zeroShotResult.getReadOnlyProperty();
    }

    /** The open project's runs, oldest first (read-only; {@link #refreshRuns} reads them again). */
    public ObservableList<RunRecord> runs() {
        return runsView;
    }

    /** The image the inspector shows: the gallery's focused image, or null. Views may set it. */
    public ObjectProperty<GalleryItem> selectedImageProperty() {
        return selectedImage;
    }

    /** Every image selected in the gallery (multi-select; the shell keeps it; views may replace it). */
    public ObservableList<GalleryItem> selectedImages() {
        return selectedImages;
    }

    /** The run whose signals the gallery and the inspector show; null means the zero-shot result. */
    public ObjectProperty<RunRecord> selectedRunProperty() {
        return selectedRun;
    }

    // ---- services ----

    /**
     * Runs {@code task} on a background thread. While it runs, its message and progress show in the status bar;
     * when it fails, an error dialog names {@code failure} and the error. {@link #close} cancels it, and a task given
     * after {@link #close} is cancelled without running.
     */
    public void runInBackground(String failure, Task<?> task) {
        if (background.isShutdown()) {
            // The window is closing: views still react to the project being closed, and their work is moot.
            task.cancel();
            return;
        }
        task.stateProperty().addListener((observable, old, state) -> {
            if (state == Worker.State.SUCCEEDED || state == Worker.State.CANCELLED || state == Worker.State.FAILED) {
                tasks.remove(task);
                showLatestTask();
                if (state == Worker.State.FAILED) {
                    showError(failure, task.getException());
                }
            }
        });
        task.messageProperty().addListener((observable, old, text) -> showLatestTask());
        task.progressProperty().addListener((observable, old, value) -> showLatestTask());
        tasks.add(task);
        showLatestTask();
        background.execute(task);
    }

    /** The running background tasks, oldest first (read-only). */
    public List<Task<?>> backgroundTasks() {
        return List.copyOf(tasks);
    }

    /** The latest background task's message, or empty when none runs. */
    public ReadOnlyStringProperty backgroundMessageProperty() {
        return backgroundMessage.getReadOnlyProperty();
    }

    /** The latest background task's progress in [0, 1], -1 when unknown, 0 when none runs. */
    public ReadOnlyDoubleProperty backgroundProgressProperty() {
        return backgroundProgress.getReadOnlyProperty();
    }

    /** Shows an error dialog: {@code what} failed (e.g. "Cannot export the run") and the error's plain message. */
    public void showError(String what, Throwable error) {
        errorHandler.accept(what, error);
    }

    /** Opens a file with the desktop's default application (an exported report, an image). */
    public void openFile(Path file) {
        fileOpener.accept(file);
    }

    // ---- what the shell sets ----

    /**
     * Sets the open project (the shell closes the previous one). Its runs are read first, so that listeners of the
     * project find them; no run is selected.
     */
    public void setProject(WorkbenchProject newProject) {
        selectedRun.set(null);
        readRuns(newProject);
        project.set(newProject);
    }

    /** Sets the loaded model (the shell's zero-shot session owns it). */
    public void setModel(Clip loaded) {
        model.set(loaded);
    }

    /** Sets the latest zero-shot result. */
    public void setZeroShotResult(ZeroShotResult result) {
        zeroShotResult.set(result);
    }

    /** Reads the open project's runs again (after a run started, ended or was deleted). */
    public void refreshRuns() {
        readRuns(project.get());
    }

    private void readRuns(WorkbenchProject open) {
        if (open == null) {
            runs.clear();
            return;
        }
        try {
            runs.setAll(open.catalog().runs());
        } catch (IOException e) {
            runs.clear();
            showError("Cannot read the runs of the project " + open.name(), e);
        }
    }

    /** Where errors go (the shell shows dialogs; tests may collect them). */
    public void setErrorHandler(BiConsumer<String, Throwable> handler) {
        errorHandler = Objects.requireNonNull(handler, "handler");
    }

    /** How files are opened (the shell uses the desktop's host services). */
    public void setFileOpener(Consumer<Path> opener) {
        fileOpener = Objects.requireNonNull(opener, "opener");
    }

    /** Cancels the background tasks and stops their threads. */
    @Override
    public void close() {
        List.copyOf(tasks).forEach(Task::cancel);
        background.shutdownNow();
    }

    private void showLatestTask() {
        if (!Platform.isFxApplicationThread()) {
            Platform.runLater(this::showLatestTask);
            return;
        }
        Task<?> latest = tasks.isEmpty() ? null : tasks.get(tasks.size() - 1);
        backgroundMessage.set(latest == null ? "" : latest.getMessage());
        backgroundProgress.set(latest == null ? 0 : latest.getProgress());
    }
}
