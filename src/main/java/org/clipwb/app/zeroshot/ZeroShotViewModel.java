package org.clipwb.app.zeroshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.model.Clip;
import org.clipwb.core.demo.SampleProjects;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.CommentedLines;

/**
 * The zero-shot feature's state and commands, on the FX thread: the form, the background work with its progress and
 * message (a run, or opening a sample project), the latest result, and what the next run will do. Work goes one task
 * at a time to a single background thread that owns the loaded model and the embeddings, so a run after a class-list
 * or template change only re-classifies.
 */
public final class ZeroShotViewModel implements AutoCloseable {
    /** What the Run button will do with the current inputs. */
    public enum RunPlan {
        /** Load the model if needed, scan and embed the folder (the embedding cache saves repeated work), classify. */
        RUN,
        /** The folder's embeddings by this model are kept: only rebuild the classifier for new classes or templates. */
        RECLASSIFY
    }

    private static final long CLOSE_WAIT_SECONDS = 5;

    private final ZeroShotForm form = new ZeroShotForm();
    private final ModelChoices modelChoices;
    private final ExecutorService runThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "clipwb-run");
        thread.setDaemon(true);
        return thread;
    });
    private final ZeroShotSession session;
    private final SampleProjects sampleProjects;
    private final ReadOnlyObjectWrapper<ZeroShotSession.State> sessionState =
            new ReadOnlyObjectWrapper<>(this, "sessionState", ZeroShotSession.State.EMPTY);
    private final ReadOnlyObjectWrapper<Clip> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<ZeroShotResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message",
            "Choose an image folder, a model and a class list, then Run");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ObjectBinding<RunPlan> plan;
    private final BooleanBinding canRun;
    private final StringBinding loadedModel;
    private Task<?> task;
    private BiConsumer<String, Throwable> onFailure = (what, error) -> {
    };

    /**
     * @param store              resolves (and downloads) models
     * @param embeddingCacheFile the SQLite embedding cache file
     * @param sampleProjects     where the sample projects are found or generated
     */
    public ZeroShotViewModel(ModelStore store, Path embeddingCacheFile, SampleProjects sampleProjects) {
        session = new ZeroShotSession(store, embeddingCacheFile, this::publish);
        this.sampleProjects = sampleProjects;
        modelChoices = ModelChoices.of(store);
        plan = Bindings.createObjectBinding(this::plan, form.requestProperty(), sessionState, result);
        canRun = form.requestProperty().isNotNull().and(running.not());
        loadedModel = Bindings.createStringBinding(() -> describeLoadedModel(sessionState.get()), sessionState);
        form.modelSpecProperty().addListener((observable, old, spec) -> releaseModelUnlessChosen());
        form.precisionProperty().addListener((observable, old, precision) -> releaseModelUnlessChosen());
    }

    /** The inputs. */
    public ZeroShotForm form() {
        return form;
    }

    /** The models to offer. */
    public ModelChoices modelChoices() {
        return modelChoices;
    }

    /** What Run will do now. */
    public ObjectBinding<RunPlan> planProperty() {
        return plan;
    }

    /** Whether Run is possible: valid inputs and no run in progress. */
    public BooleanBinding canRunProperty() {
        return canRun;
    }

    /**
     * The model held in memory and its precision, e.g. "openai/clip-vit-base-patch32 (fp16)", or null. It is closed
     * when another model or precision is chosen, or when the app exits.
     */
    public StringBinding loadedModelProperty() {
        return loadedModel;
    }

    /** The model in memory (owned by this view-model: never close it), or null. */
    public ReadOnlyObjectProperty<Clip> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** Whether a run, or the opening of a sample project, is in progress. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The status line: the current step while running, else how the last run ended. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Progress of the current step in [0, 1], -1 when unknown, 0 when idle. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The latest successful result, or null. */
    public ReadOnlyObjectProperty<ZeroShotResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /**
     * Called on the FX thread when a run or the opening of a sample project fails (not when it is cancelled), with
     * what failed, e.g. "The zero-shot run failed", and the error.
     */
    public void setOnFailure(BiConsumer<String, Throwable> onFailure) {
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Starts a run of the current inputs in the background; does nothing while invalid or running. */
    public void run() {
        RunRequest request = form.requestProperty().get();
        if (request == null || running.get()) {
            return;
        }
        boolean reclassify = plan.get() == RunPlan.RECLASSIFY;
        start(new Task<ZeroShotResult>() {
            @Override
            protected ZeroShotResult call() throws IOException, InterruptedException {
                return session.run(request, reclassify, (text, fraction) -> {
                    updateMessage(text);
                    updateProgress(fraction, 1);
                });
            }
        }, reclassify ? "Re-classifying" : "Starting", "The zero-shot run failed", done -> {
            result.set(done);
            message.set(done.summary());
        });
    }

    /**
     * Opens a sample project in the background: finds its folder or generates it (a few seconds, on first use only,
     * see {@link SampleProjects}), fills the form with its images, class list and templates and the bundled demo
     * model it was made for, then runs it as Run would. Does nothing while a run is in progress.
     */
    public void openSampleProject(SampleProject project) {
        if (running.get()) {
            return;
        }
        String name = project.folderName();
        start(new Task<OpenedSample>() {
            @Override
            protected OpenedSample call() throws IOException {
                ProjectFolder folder = sampleProjects.locate(project,
                        dir -> updateMessage("Generating the sample project " + name + " in " + dir));
                return new OpenedSample(folder, CommentedLines.readUtf8(folder.classList()));
            }
        }, "Opening the sample project " + name, "Cannot open the sample project " + name, opened -> {
            form.imageFolderProperty().set(opened.folder().images().toString());
            form.classListProperty().set(opened.classList());
            form.templatesProperty().set(opened.folder().templates().toString());
            // The demo model (the default) was pretrained on the world the samples are rendered from.
            form.modelSpecProperty().set(ModelStore.DEFAULT_MODEL);
            run();
        });
    }

    /**
     * Runs {@code next} on the background thread, with its message and progress in the status line; when it
     * succeeds, {@code succeeded} gets its value on the FX thread, and when it fails the failure handler is told
     * {@code failure} and the error.
     */
    private <T> void start(Task<T> next, String firstMessage, String failure, Consumer<T> succeeded) {
        // A cancelled task's thread may still report for a moment: only the current task may change the status.
        next.messageProperty().addListener((observable, old, text) -> {
            if (next == task) {
                message.set(text);
            }
        });
        next.progressProperty().addListener((observable, old, value) -> {
            if (next == task) {
                progress.set(value.doubleValue());
            }
        });
        next.stateProperty().addListener((observable, old, state) -> finished(next, state, failure, succeeded));
        task = next;
        running.set(true);
        message.set(firstMessage);
        progress.set(-1);
        runThread.execute(next);
    }

    /**
     * Cancels the work in progress and changes nothing: a run stops at the next check (within about a second); a
     * sample project being opened is not opened (a generation under way still finishes, in the background).
     */
    public void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    /** Cancels any run and closes the model and the embedding cache, waiting a few seconds for the run to stop. */
    @Override
    public void close() {
        cancel();
        if (runThread.isShutdown()) {
            return;
        }
        runThread.execute(() -> {
            try {
                session.close();
            } catch (IOException e) {
                System.err.println("Closing the embedding cache failed: " + e.getMessage());
            }
        });
        runThread.shutdown();
        try {
            if (!runThread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("The background run did not stop within " + CLOSE_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> void finished(Task<T> finished, Worker.State state, String failure, Consumer<T> succeeded) {
        if (finished != task || !(state == Worker.State.SUCCEEDED || state == Worker.State.CANCELLED
                || state == Worker.State.FAILED)) {
            return;
        }
        task = null;
        running.set(false);
        progress.set(0);
        switch (state) {
            case SUCCEEDED -> succeeded.accept(finished.getValue());
            case CANCELLED -> message.set("Cancelled");
            default -> {
                Throwable error = finished.getException();
                message.set("Failed: " + describe(error));
                onFailure.accept(failure, error);
            }
        }
    }

    /** Publishes the session's state and model, told on the run thread, on the FX thread. */
    private void publish(ZeroShotSession.State state) {
        Clip loaded = session.loadedModel();
        Platform.runLater(() -> {
            sessionState.set(state);
            model.set(loaded);
        });
    }

    private RunPlan plan() {
        RunRequest request = form.requestProperty().get();
        ZeroShotSession.State state = sessionState.get();
        ZeroShotResult last = result.get();
        boolean embedded = request != null && request.folder().equals(state.embeddedFolder())
                && state.holds(request.modelSpec(), request.precision());
        return embedded && last != null && !last.answers(request) ? RunPlan.RECLASSIFY : RunPlan.RUN;
    }

    /** Frees the loaded model as soon as the user picks another model or precision: the next run needs a new one. */
    private void releaseModelUnlessChosen() {
        ZeroShotSession.State state = sessionState.get();
        String spec = form.modelSpecProperty().get();
        if (state.modelSpec() != null && !state.holds(spec == null ? null : spec.strip(),
                form.precisionProperty().get()) && !runThread.isShutdown()) {
            runThread.execute(session::releaseModel);
        }
    }

    private static String describeLoadedModel(ZeroShotSession.State state) {
        return state.modelSpec() == null ? null : state.modelSpec() + " (" + state.precision() + ")";
    }

    /** A sample project's folder and its class list, read in the background. */
    private record OpenedSample(ProjectFolder folder, String classList) {
    }

    /** The error's message for the status line, or its type when it has none. */
    public static String describe(Throwable error) {
        String text = error.getMessage();
        return text == null || text.isBlank() ? error.getClass().getSimpleName() : text;
    }
}
