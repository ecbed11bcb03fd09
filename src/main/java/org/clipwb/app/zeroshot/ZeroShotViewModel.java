package org.clipwb.app.zeroshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import org.clipwb.core.model.Clip;
import org.clipwb.core.store.DownloadProgress;
import org.clipwb.core.store.ModelStore;

/**
 * The zero-shot feature's state and commands, on the FX thread: the form, the background work with its progress and
 * message, the latest result, and what the next run will do. Work goes one task
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
    private final ReadOnlyObjectWrapper<ZeroShotSession.State> sessionState =
            new ReadOnlyObjectWrapper<>(this, "sessionState", ZeroShotSession.State.EMPTY);
    private final ReadOnlyObjectWrapper<Clip> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<Download> download = new ReadOnlyObjectWrapper<>(this, "download");
    /** The latest download report not yet shown: reports come many times a second, the window takes one a frame. */
    private final AtomicReference<Download> pendingDownload = new AtomicReference<>();
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
     */
    public ZeroShotViewModel(ModelStore store, Path embeddingCacheFile) {
        session = new ZeroShotSession(store, embeddingCacheFile, this::publish);
        modelChoices = ModelChoices.of(store);
        plan = Bindings.createObjectBinding(this::plan, form.requestProperty(), sessionState, result);
        canRun = form.requestProperty().isNotNull().and(running.not());
        loadedModel = Bindings.createStringBinding(() -> describeLoadedModel(sessionState.get(), model.get()),
                sessionState, model);
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
     * The model held in memory, its precision and its checkpoint's format and layout, e.g.
     * "openai/clip-vit-base-patch32 (fp16, safetensors, Hugging Face layout)", or null. It is closed
     * when another model or precision is chosen, or when the app exits.
     */
    public StringBinding loadedModelProperty() {
        return loadedModel;
    }

    /** The model in memory (owned by this view-model: never close it), or null. */
    public ReadOnlyObjectProperty<Clip> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** A model file being downloaded for the current run, with its progress and ETA; null when none is. */
    public record Download(String spec, DownloadProgress progress) {
    }

    /** The download in progress, or null: the window shows a dialog while it is not null. */
    public ReadOnlyObjectProperty<Download> downloadProperty() {
        return download.getReadOnlyProperty();
    }

    /** Whether a run is in progress. */
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
     * Called on the FX thread when a run fails (not when it is cancelled), with
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
                return session.run(request, reclassify, new ZeroShotSession.Progress() {
                    @Override
                    public void update(String text, double fraction) {
                        updateMessage(text);
                        updateProgress(fraction, 1);
                    }

                    @Override
                    public void downloading(String spec, DownloadProgress progress) {
                        showDownload(new Download(spec, progress));
                    }
                });
            }
        }, reclassify ? "Re-classifying" : "Starting", "The zero-shot run failed", done -> {
            result.set(done);
            message.set(done.summary());
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
     * Cancels the run in progress and changes nothing: it stops at the next check (within about a second).
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
        download.set(null);
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

    /** Hands a download report to the FX thread, coalescing those that come faster than it takes them. */
    private void showDownload(Download report) {
        if (pendingDownload.getAndSet(report) == null) {
            Platform.runLater(() -> {
                Download latest = pendingDownload.getAndSet(null);
                if (task != null) {
                    download.set(latest);
                }
            });
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

    /** "demo (fp32, safetensors, Hugging Face layout)": the model, its precision and the checkpoint it came from. */
    private static String describeLoadedModel(ZeroShotSession.State state, Clip loaded) {
        if (state.modelSpec() == null) {
            return null;
        }
        String checkpoint = loaded == null ? "" : ", " + loaded.weightsFormat().displayName() + ", "
                + loaded.layout().displayName() + " layout";
        return state.modelSpec() + " (" + state.precision() + checkpoint + ")";
    }

    /** The error's message for the status line, or its type when it has none. */
    public static String describe(Throwable error) {
        String text = error.getMessage();
        return text == null || text.isBlank() ? error.getClass().getSimpleName() : text;
    }
}
