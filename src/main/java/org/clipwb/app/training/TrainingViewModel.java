package org.clipwb.app.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.util.Duration;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.project.TrainingInputs;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.ProgressLog;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunCharts;
import org.clipwb.core.util.ProgressText;
import org.clipwb.core.zeroshot.ClassList;

/**
 * The training view's state and commands, without controls: the chosen method, phase, settings, device and seed;
 * start, pause, resume and cancel; and what the run reports (state, progress, ETA, log and the live charts).
 * <p>
 * The run works on its own thread as a {@link Task}; its progress events go into a queue that a timeline drains on
 * the FX thread at most {@link #REFRESHES_PER_SECOND} times a second, so the charts (touched only there) redraw once
 * per drain however fast the run reports. Pause holds the run at its next step with everything in memory, so it
 * ends exactly as an uninterrupted run; cancel stops it at its next step, and the catalog keeps it as cancelled,
 * resumable from its last checkpoint, also after the window was closed and reopened.
 */
public final class TrainingViewModel implements AutoCloseable {
    /** How often the charts and the log take the run's new events. */
    static final int REFRESHES_PER_SECOND = 10;
    private static final int LOG_LINES = 500;
    private static final int CHECK_DELAY_MS = 300;

    /** Where the view stands. */
    public enum State {
        /** No run chosen or started. */
        IDLE,
        /** Loading the model and embedding the images. */
        PREPARING,
        /** Training. */
        RUNNING,
        /** Held at a step; resumes in memory. */
        PAUSED,
        /** Finished. */
        DONE,
        /** Stopped on request (or found unfinished in the catalog): resumable from its last checkpoint. */
        CANCELLED,
        /** Stopped by an error: resumable once the cause is fixed. */
        FAILED;

        /** Whether a run is on its thread. */
        public boolean isActive() {
            return this == PREPARING || this == RUNNING || this == PAUSED;
        }
    }

    /** Where training runs. */
    public enum Target {
        CPU, GPU;

        Device device() {
            return this == GPU ? Device.gpu() : Device.cpu();
        }
    }

    private final WorkbenchContext context;
    private final ObjectProperty<MethodInfo> method = new SimpleObjectProperty<>(this, "method");
    private final ObjectProperty<MethodInfo.PhaseInfo> phase = new SimpleObjectProperty<>(this, "phase");
    private final ObservableList<SettingItem> settings = FXCollections.observableArrayList();
    private final ObjectProperty<Target> target = new SimpleObjectProperty<>(this, "target", Target.CPU);
    private final ReadOnlyBooleanWrapper gpuAvailable = new ReadOnlyBooleanWrapper(this, "gpuAvailable");
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 1);
    private final ReadOnlyStringWrapper memoryEstimate = new ReadOnlyStringWrapper(this, "memoryEstimate", "");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyObjectWrapper<RunRecord> run = new ReadOnlyObjectWrapper<>(this, "run");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper eta = new ReadOnlyStringWrapper(this, "eta", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> unfinishedRuns = FXCollections.observableArrayList();
    private final RunCharts charts = new RunCharts();
    private final ConcurrentLinkedQueue<ProgressEvent> pending = new ConcurrentLinkedQueue<>();
    private final Timeline drainer = new Timeline(new KeyFrame(Duration.millis(1000.0 / REFRESHES_PER_SECOND),
            event -> drain()));
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "clipwb-training");
        thread.setDaemon(true);
        return thread;
    });
    private final StringProperty testImages = new SimpleStringProperty(this, "testImages", "");
    private final StringProperty descriptions = new SimpleStringProperty(this, "descriptions", "");
    private final ReadOnlyBooleanWrapper descriptionsUsed = new ReadOnlyBooleanWrapper(this, "descriptionsUsed");
    private final ReadOnlyObjectWrapper<TrainingInputCheck.Problems> inputProblems = new ReadOnlyObjectWrapper<>(this,
            "inputProblems", TrainingInputCheck.Problems.NONE);
    private final ReadOnlyBooleanWrapper inputsChecked = new ReadOnlyBooleanWrapper(this, "inputsChecked", true);
    /** Checks wait for typing to pause, so that a folder is not scanned at every key. */
    private final PauseTransition checkLater = new PauseTransition(Duration.millis(CHECK_DELAY_MS));
    /** Counts checks: only the latest one saves and is shown. */
    private final AtomicLong checks = new AtomicLong();
    private boolean startWhenChecked;
    private Cancellation cancellation;
    private Task<RunRecord> task;

    /** A view-model on the window's context; call on the FX thread. */
    public TrainingViewModel(WorkbenchContext context) {
        this.context = context;
        drainer.setCycleCount(Timeline.INDEFINITE);
        lookForGpu();
        method.addListener((observable, old, info) -> {
            phase.set(null);
            settings.setAll(info == null ? List.of() : info.settings().stream()
                    .map(setting -> new SettingItem(setting, setting.defaultValue())).toList());
            settings.forEach(item -> item.getObservableValue().orElseThrow()
                    .addListener((o, before, after) -> {
                        updateEstimate();
                        updateDescriptionsUsed();
                    }));
            updateEstimate();
            updateDescriptionsUsed();
        });
        checkLater.setOnFinished(event -> checkInputs());
        testImages.addListener((observable, old, text) -> inputsChanged());
        descriptions.addListener((observable, old, text) -> inputsChanged());
        descriptionsUsed.addListener((observable, old, used) -> inputsChanged());
        target.addListener((observable, old, chosen) -> updateEstimate());
        context.modelProperty().addListener((observable, old, model) -> updateEstimate());
        context.projectProperty().addListener((observable, old, project) -> {
            showInputsOf(project);
            if (!state.get().isActive()) {
                showLatestUnfinished();
            }
        });
        showInputsOf(context.project());
        method.set(AdaptationMethods.infos().get(0));
        showLatestUnfinished();
    }

    // ---- choices ----

    /** Every method the engine offers. */
    public List<MethodInfo> methods() {
        return AdaptationMethods.infos();
    }

    /** The chosen method. */
    public ObjectProperty<MethodInfo> methodProperty() {
        return method;
    }

    /**
     * The phase after which the run pauses (when the next phase reports), for looking at what it did before going
     * on; null to run every phase straight through.
     */
    public ObjectProperty<MethodInfo.PhaseInfo> pauseAfterProperty() {
        return phase;
    }

    /** Every setting of the chosen method, at its value. */
    public ObservableList<SettingItem> settings() {
        return settings;
    }

    /** Puts every setting back to its default. */
    public void resetSettings() {
        settings.forEach(SettingItem::reset);
    }

    /** Sets a setting by key from its text form (what {@code --set key=value} takes). */
    public void set(String key, String value) {
        settings.stream().filter(item -> item.getName().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the method has no setting " + key))
                .setValue(value);
    }

    /** Where training runs. */
    public ObjectProperty<Target> targetProperty() {
        return target;
    }

    /** Whether the engine sees a GPU (looked up in the background: loading the engine takes a moment). */
    public ReadOnlyBooleanProperty gpuAvailableProperty() {
        return gpuAvailable.getReadOnlyProperty();
    }

    /** The seed of every random choice of a new run. */
    public LongProperty seedProperty() {
        return seed;
    }

    /**
     * The held-out folder (class subfolders named like the classes) whose accuracy a new run reports, as
     * {@code clipwb adapt --test-images}; empty for none. Kept per project.
     */
    public StringProperty testImagesProperty() {
        return testImages;
    }

    /**
     * Where descriptions come from for the methods that use them, as {@code clipwb adapt --descriptions}:
     * {@code offline}, a JSON file or {@code ollama:MODEL[@URL]}; empty for none. Kept per project.
     */
    public StringProperty descriptionsProperty() {
        return descriptions;
    }

    /** Whether the chosen method, with its settings, asks for descriptions. */
    public ReadOnlyBooleanProperty descriptionsUsedProperty() {
        return descriptionsUsed.getReadOnlyProperty();
    }

    /** What is wrong with the held-out folder, in words; empty when nothing is (or it is still being checked). */
    public StringBinding testImagesProblem() {
        return Bindings.createStringBinding(() -> inputProblems.get().testImages(), inputProblems);
    }

    /** What is wrong with the descriptions source, in words; empty when nothing is. */
    public StringBinding descriptionsProblem() {
        return Bindings.createStringBinding(() -> inputProblems.get().descriptions(), inputProblems);
    }

    /** Whether the latest held-out folder and descriptions source were checked (checks run in the background). */
    public ReadOnlyBooleanProperty inputsCheckedProperty() {
        return inputsChecked.getReadOnlyProperty();
    }

    /** The memory the run would need, in words. */
    public ReadOnlyStringProperty memoryEstimateProperty() {
        return memoryEstimate.getReadOnlyProperty();
    }

    // ---- what the run reports ----

    /** Where the view stands. */
    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The run shown: the one training, or the last one, or an unfinished one of the catalog. */
    public ReadOnlyObjectProperty<RunRecord> runProperty() {
        return run.getReadOnlyProperty();
    }

    /** The last thing the run said. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The time the current phase has left, in words, or empty. */
    public ReadOnlyStringProperty etaProperty() {
        return eta.getReadOnlyProperty();
    }

    /** The fraction of the current phase done; -1 while preparing. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The run's log: epochs, phase messages and state changes, newest last. */
    public ObservableList<String> log() {
        return log;
    }

    /** The project's runs that can be resumed (cancelled, failed, or left running by a closed window). */
    public ObservableList<RunRecord> unfinishedRuns() {
        return unfinishedRuns;
    }

    /** The live charts; touched on the FX thread only. */
    public RunCharts charts() {
        return charts;
    }

    /** Whether Start can be pressed. */
    public BooleanBinding canStart() {
        return Bindings.createBooleanBinding(() -> !state.get().isActive() && context.project() != null
                && method.get() != null && inputProblems.get().equals(TrainingInputCheck.Problems.NONE), state,
                context.projectProperty(), method, inputProblems);
    }

    /** Whether Pause can be pressed. */
    public BooleanBinding canPause() {
        return state.isEqualTo(State.RUNNING);
    }

    /** Whether Resume can be pressed: a paused run, or a cancelled or failed one. */
    public BooleanBinding canResume() {
        return Bindings.createBooleanBinding(() -> state.get() == State.PAUSED
                || ((state.get() == State.CANCELLED || state.get() == State.FAILED) && run.get() != null), state, run);
    }

    /** Whether Cancel can be pressed. */
    public BooleanBinding canCancel() {
        return Bindings.createBooleanBinding(() -> state.get().isActive(), state);
    }

    // ---- commands ----

    /**
     * Starts a new run of the chosen method with the chosen settings on the open project; while the held-out folder
     * and descriptions source are being checked, once they are found fine.
     */
    public void start() {
        if (state.get().isActive()) {
            throw new IllegalStateException("a run is in progress");
        }
        if (!inputsChecked.get()) {
            startWhenChecked = true;
            status.set("Starting once the held-out folder and the descriptions source are checked");
            return;
        }
        try {
            ProjectCatalog catalog = requireCatalog();
            Settings checked = method.get().defaults().with(settingValues()); // refuses what the engine refuses
            TrainingInputCheck.Problems problems = inputProblems.get();
            if (!problems.equals(TrainingInputCheck.Problems.NONE)) {
                throw new IllegalStateException((problems.testImages() + "\n" + problems.descriptions()).strip());
            }
            Map<String, String> inputs = context.project().runInputs();
            inputs.putAll(trainingInputs().runInputs(descriptionsUsed.get()));
            RunRecord created = catalog.createRun(method.get().id(), seed.get(), checked.asText(), inputs);
            charts.clear();
            log.clear();
            launch(created, "Started");
        } catch (IOException | RuntimeException e) {
            context.showError("Cannot start the run", e);
        }
    }

    /** Holds the run at its next step. */
    public void pause() {
        if (state.get() == State.RUNNING) {
            cancellation.pause();
            state.set(State.PAUSED);
            addLog("Paused: the run waits at its next step");
        }
    }

    /** Lets a paused run go on, or continues a cancelled or failed run from its last checkpoint. */
    public void resume() {
        if (state.get() == State.PAUSED) {
            cancellation.resume();
            state.set(State.RUNNING);
            addLog("Resumed");
        } else if (canResume().get()) {
            launch(run.get(), "Resumed");
        }
    }

    /** Shows an unfinished run of the catalog (its curves so far), ready to resume. */
    public void show(RunRecord unfinished) {
        if (state.get().isActive()) {
            throw new IllegalStateException("a run is in progress");
        }
        run.set(unfinished);
        state.set(unfinished.status() == RunRecord.Status.DONE ? State.DONE
                : unfinished.status() == RunRecord.Status.FAILED ? State.FAILED : State.CANCELLED);
        method.set(AdaptationMethods.create(unfinished.method()).info());
        unfinished.settings().forEach((key, value) -> settings.stream().filter(item -> item.getName().equals(key))
                .findFirst().ifPresent(item -> item.setValue(value)));
        seed.set(unfinished.seed());
        charts.clear();
        log.clear();
        try {
            charts.addAll(ProgressLog.read(requireCatalog().runDirectory(unfinished.id())));
        } catch (IOException e) {
            addLog("The run's curves cannot be read: " + e.getMessage());
        }
        status.set("Run " + unfinished.id() + " is " + unfinished.status().name().toLowerCase(java.util.Locale.ROOT)
                + (unfinished.message().isEmpty() ? "" : ": " + unfinished.message()));
    }

    /** Stops the run at its next step; it stays resumable. */
    public void cancel() {
        if (state.get().isActive()) {
            cancellation.cancel();
            addLog("Cancelling at the next step");
        }
    }

    /** Stops a run in progress (it stays resumable) and the view-model's thread. */
    @Override
    public void close() {
        if (cancellation != null) {
            cancellation.cancel();
        }
        drainer.stop();
        executor.shutdown();
    }

    // ---- the run ----

    private void launch(RunRecord record, String verb) {
        ProjectCatalog catalog = requireCatalog();
        MethodInfo info = AdaptationMethods.create(record.method()).info();
        Device device = target.get().device();
        Clip shared = context.modelProperty().get();
        String spec = record.inputs().get(RunRecord.INPUT_MODEL);
        cancellation = new Cancellation();
        Cancellation runCancellation = cancellation;
        ProgressListener listener = pauseAfter(phase.get() == null ? null : phase.get().id(), runCancellation);
        run.set(record);
        state.set(State.PREPARING);
        progress.set(-1);
        addLog(verb + " run " + record.id() + " (" + info.title() + ") on the " + target.get());
        task = new Task<>() {
            @Override
            protected RunRecord call() throws Exception {
                try (RunModel model = RunModel.of(shared, spec, device, this::updateMessage)) {
                    var data = RunPreparation.prepare(record, model.clip(), catalog.directory(),
                            this::updateMessage);
                    Platform.runLater(TrainingViewModel.this::markTraining);
                    return AdaptationRunner.run(catalog, record, AdaptationMethods.create(record.method()), data,
                            listener, runCancellation, device).run();
                }
            }
        };
        task.messageProperty().addListener((observable, old, message) -> {
            if (state.get() == State.PREPARING) {
                status.set(message);
            }
        });
        task.setOnSucceeded(event -> finish(task.getValue(), State.DONE, "Done"));
        task.setOnFailed(event -> {
            Throwable error = task.getException();
            if (error instanceof CancellationException) {
                finish(reread(record), State.CANCELLED, "Cancelled: resume continues from the last checkpoint");
            } else {
                finish(reread(record), State.FAILED, "Failed: " + error.getMessage());
                context.showError("The run " + record.id() + " failed", error);
            }
        });
        drainer.play();
        executor.execute(task);
    }

    /** Queues every event for the FX thread and, after {@code phaseId} (when set), pauses as the next phase reports. */
    private ProgressListener pauseAfter(String phaseId, Cancellation runCancellation) {
        boolean[] seen = new boolean[1];
        boolean[] paused = new boolean[1];
        return event -> {
            pending.add(event);
            if (phaseId == null || paused[0]) {
                return;
            }
            if (event.phase().equals(phaseId)) {
                seen[0] = true;
            } else if (seen[0]) {
                paused[0] = true;
                runCancellation.pause(); // takes hold at the run's next check, on this thread
                Platform.runLater(() -> markPaused(event.phase()));
            }
        };
    }

    private void markPaused(String next) {
        if (state.get() == State.RUNNING || state.get() == State.PREPARING) {
            state.set(State.PAUSED);
            addLog("Paused after " + phase.get().title() + ", before " + next + ": Resume goes on");
        }
    }

    private void markTraining() {
        if (state.get() == State.PREPARING) {
            state.set(State.RUNNING);
        }
    }

    private void finish(RunRecord ended, State endState, String message) {
        drain();
        drainer.stop();
        run.set(ended);
        state.set(endState);
        progress.set(endState == State.DONE ? 1 : progress.get());
        eta.set("");
        status.set(message);
        addLog(message + accuracy(ended));
        context.refreshRuns();
        refreshUnfinished();
    }

    /** The run's accuracy against zero-shot's, on its folder and, when it had one, on the held-out folder. */
    private static String accuracy(RunRecord ended) {
        return accuracy(ended, "target", "accuracy") + accuracy(ended, "test", "held-out accuracy");
    }

    private static String accuracy(RunRecord ended, String split, String name) {
        Double adapted = ended.metrics().get(split + ".accuracy");
        Double zeroShot = ended.metrics().get(split + ".zero_shot_accuracy");
        return adapted == null || zeroShot == null ? "" : String.format(java.util.Locale.ROOT,
                " · %s %.1f%% (zero-shot %.1f%%)", name, 100 * adapted, 100 * zeroShot);
    }

    private RunRecord reread(RunRecord record) {
        try {
            return requireCatalog().run(record.id()).orElse(record);
        } catch (IOException e) {
            return record;
        }
    }

    /** Takes the events the run queued since the last drain: one chart update, one status update. */
    void drain() {
        List<ProgressLog.Point> points = new ArrayList<>();
        ProgressEvent last = null;
        for (ProgressEvent event = pending.poll(); event != null; event = pending.poll()) {
            if (event.steps() > 0) {
                points.add(ProgressLog.Point.of(event));
            }
            if (event.steps() == 0 || event.labels().isPresent()) {
                addLog(event.message());
            }
            last = event;
        }
        charts.addAll(points);
        if (last != null && state.get() != State.PREPARING) {
            status.set(last.message());
            progress.set(last.steps() > 0 ? last.fractionDone() : -1);
            String phaseId = last.phase();
            eta.set(last.eta().map(left -> ProgressText.duration(left) + " left in " + phaseId).orElse(""));
        }
    }

    private void addLog(String line) {
        log.add(line);
        if (log.size() > LOG_LINES) {
            log.remove(0, log.size() - LOG_LINES);
        }
    }

    private void lookForGpu() {
        Task<Boolean> look = new Task<>() {
            @Override
            protected Boolean call() {
                return Engine.getInstance().getGpuCount() > 0;
            }
        };
        look.setOnSucceeded(event -> {
            gpuAvailable.set(look.getValue());
            if (look.getValue() && !state.get().isActive()) {
                target.set(Target.GPU); // training is much faster there
            }
        });
        context.runInBackground("Cannot look for a GPU", look);
    }

    /** Every setting's value as text, by key. */
    private Map<String, String> settingValues() {
        Map<String, String> values = new LinkedHashMap<>();
        settings.forEach(item -> values.put(item.getName(), item.text()));
        return values;
    }

    private TrainingInputs trainingInputs() {
        return new TrainingInputs(testImages.get(), descriptions.get());
    }

    /** Puts {@code project}'s held-out folder and descriptions source in the fields (none without a project). */
    private void showInputsOf(WorkbenchProject project) {
        TrainingInputs inputs = project == null ? TrainingInputs.NONE : project.trainingInputs();
        testImages.set(inputs.testImages());
        descriptions.set(inputs.descriptions());
        inputsChanged();
    }

    private void updateDescriptionsUsed() {
        MethodInfo info = method.get();
        descriptionsUsed.set(info != null && AdaptationMethods.create(info.id())
                .usesDescriptions(info.defaults().with(settingValues())));
    }

    private void inputsChanged() {
        inputsChecked.set(false);
        checkLater.playFromStart();
    }

    /** Checks the held-out folder and descriptions source in the background and keeps them in the project. */
    private void checkInputs() {
        WorkbenchProject project = context.project();
        long check = checks.incrementAndGet();
        if (project == null) {
            inputProblems.set(TrainingInputCheck.Problems.NONE);
            inputsChecked.set(true);
            return;
        }
        TrainingInputs inputs = trainingInputs();
        boolean uses = descriptionsUsed.get();
        String title = method.get() == null ? "The method" : method.get().title().split(":", 2)[0];
        String classList = project.settings().classList();
        Task<TrainingInputCheck.Problems> checking = new Task<>() {
            @Override
            protected TrainingInputCheck.Problems call() throws IOException {
                updateMessage("Checking the held-out folder and the descriptions source");
                synchronized (checks) { // only the latest check saves, so an older one cannot undo it
                    if (checks.get() == check && !inputs.equals(project.trainingInputs())) {
                        project.saveTrainingInputs(inputs);
                    }
                }
                ClassList classes;
                try {
                    classes = ClassList.parse(classList);
                } catch (IllegalArgumentException e) {
                    return new TrainingInputCheck.Problems("The project's class list has a mistake ("
                            + e.getMessage() + "): correct it on the left", "");
                }
                return TrainingInputCheck.problems(inputs, uses, title, classes);
            }
        };
        checking.setOnSucceeded(event -> {
            if (checks.get() == check) {
                inputProblems.set(checking.getValue());
                inputsChecked.set(true);
                if (startWhenChecked) {
                    startWhenChecked = false;
                    start();
                }
            }
        });
        checking.setOnFailed(event -> startWhenChecked = false);
        context.runInBackground("Cannot keep the training inputs of the project " + project.name(), checking);
    }

    private void updateEstimate() {
        Clip model = context.modelProperty().get();
        MethodInfo info = method.get();
        if (info == null) {
            memoryEstimate.set("");
            return;
        }
        if (model == null) {
            memoryEstimate.set("Memory: known once the model is loaded (run zero-shot first)");
            return;
        }
        int images = context.zeroShotResultProperty().get() == null ? 0
                : context.zeroShotResultProperty().get().run().images().size();
        memoryEstimate.set("Memory: " + MemoryEstimate.describe(info, info.defaults().with(settingValues()),
                model.model().config(), images, target.get().toString()));
    }

    private void showLatestUnfinished() {
        refreshUnfinished();
        if (!unfinishedRuns.isEmpty()) {
            show(unfinishedRuns.get(unfinishedRuns.size() - 1));
        } else {
            run.set(null);
            state.set(State.IDLE);
            charts.clear();
        }
    }

    private void refreshUnfinished() {
        List<RunRecord> unfinished = new ArrayList<>();
        ProjectCatalog catalog = context.catalog();
        if (catalog != null) {
            try {
                for (RunRecord record : catalog.runs()) {
                    boolean ours = run.get() != null && run.get().id().equals(record.id()) && state.get().isActive();
                    if (record.status() != RunRecord.Status.DONE && !ours) {
                        unfinished.add(record);
                    }
                }
            } catch (IOException e) {
                addLog("The project's runs cannot be read: " + e.getMessage());
            }
        }
        unfinishedRuns.setAll(unfinished);
    }

    private ProjectCatalog requireCatalog() {
        ProjectCatalog catalog = context.catalog();
        if (catalog == null) {
            throw new IllegalStateException("Open a project first");
        }
        return catalog;
    }
}
