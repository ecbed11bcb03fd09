package org.clipwb.app.runs;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.training.RunModel;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.adapt.RunExport;
import org.clipwb.core.project.LabelExport;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunComparison;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunReport;

/**
 * The Runs tab's state and commands, without controls: the project's runs, two label sources compared side by side
 * (metrics and the images whose label changed), and the exports of a run (labels as CSV or class folders, the adapted
 * model, an HTML report). Comparisons and exports run in the window's background tasks.
 */
public final class RunsViewModel {
    /** One metric of both compared runs. */
    public record MetricRow(String metric, Double a, Double b) {
        /** B minus A, when both have it. */
        public Double difference() {
            return a == null || b == null ? null : b - a;
        }
    }

    /** A comparison with what it is shown with. */
    public record Compared(LabelSource a, LabelSource b, RunComparison comparison, List<String> classNames) {
    }

    /**
     * A row of the history: a run (its final labels), or the project's zero-shot predictions, which count as a run.
     *
     * @param labels  the row's labels
     * @param metrics its metrics under the names runs record them (computed once, not per table cell)
     */
    public record HistoryRow(LabelSource labels, Map<String, Double> metrics) {
        static HistoryRow of(LabelSource labels) {
            return new HistoryRow(labels, Map.copyOf(labels.metrics()));
        }

        /** The run behind the row; empty for the project's zero-shot predictions. */
        public Optional<RunRecord> run() {
            return labels instanceof LabelSource.RunSource source ? Optional.of(source.run()) : Optional.empty();
        }
    }

    /** The history's actions, by what they need of the selected row. */
    public enum Action {
        /** Compare with zero-shot: a finished run. */
        COMPARE,
        /** Export the labels as CSV or class folders: zero-shot or a finished run. */
        EXPORT_LABELS,
        /** Export the adapted model: a finished run. */
        EXPORT_MODEL,
        /** Write the HTML report: a run. */
        REPORT,
        /** Present phase by phase: a run. */
        PRESENT
    }

    private final WorkbenchContext context;
    private final ObservableList<LabelSource> sources = FXCollections.observableArrayList();
    private final ObservableList<HistoryRow> history = FXCollections.observableArrayList();
    private final ObjectProperty<HistoryRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<LabelSource> sourceA = new SimpleObjectProperty<>(this, "sourceA");
    private final ObjectProperty<LabelSource> sourceB = new SimpleObjectProperty<>(this, "sourceB");
    private final ReadOnlyObjectWrapper<Compared> compared = new ReadOnlyObjectWrapper<>(this, "compared");
    private final ObservableList<MetricRow> metrics = FXCollections.observableArrayList();

    /** A view-model on the window's context; call on the FX thread. */
    public RunsViewModel(WorkbenchContext context) {
        this.context = context;
        context.runs().addListener((ListChangeListener<RunRecord>) change -> refreshSources());
        context.zeroShotResultProperty().addListener((observable, old, result) -> {
            refreshSources();
            replaceZeroShot(sourceA, result);
            replaceZeroShot(sourceB, result);
        });
        refreshSources();
        sourceA.addListener((observable, old, source) -> compare());
        sourceB.addListener((observable, old, source) -> compare());
    }

    /**
     * The history: the project's zero-shot predictions first (once the window classified the folder), then the
     * project's runs, oldest first.
     */
    public ObservableList<HistoryRow> history() {
        return history;
    }

    /** The row the actions apply to. */
    public ObjectProperty<HistoryRow> selectedProperty() {
        return selected;
    }

    /**
     * Why {@code action} cannot apply to {@code row} (null: none chosen), in words for a tooltip; empty when it can.
     * The exports refuse with the same words.
     */
    public static Optional<String> unavailable(HistoryRow row, Action action) {
        if (row == null) {
            return Optional.of("Choose a run in the table first");
        }
        if (row.run().isEmpty()) {
            return switch (action) {
                case EXPORT_LABELS -> Optional.empty();
                case COMPARE -> Optional.of("This row is zero-shot itself: choose a run to compare with it");
                case EXPORT_MODEL -> Optional.of("Zero-shot adapts no model (it is the project's model as it is): "
                        + "choose a finished run");
                case REPORT, PRESENT -> Optional.of("Zero-shot has no phases to report or present: choose a run");
            };
        }
        RunRecord run = row.run().get();
        boolean needsDone = action != Action.REPORT && action != Action.PRESENT;
        if (needsDone && run.status() != RunRecord.Status.DONE) {
            return Optional.of("Run " + run.id() + " is " + run.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ": resume it in the Training tab first");
        }
        return Optional.empty();
    }

    /**
     * What can be compared: the project's zero-shot predictions (once the window classified the folder), and each
     * finished run's final labels and the zero-shot labels it started from.
     */
    public ObservableList<LabelSource> sources() {
        return sources;
    }

    /** The first side of the comparison. */
    public ObjectProperty<LabelSource> sourceAProperty() {
        return sourceA;
    }

    /** The second side. */
    public ObjectProperty<LabelSource> sourceBProperty() {
        return sourceB;
    }

    /** The latest comparison, or null. */
    public ReadOnlyObjectProperty<Compared> comparedProperty() {
        return compared.getReadOnlyProperty();
    }

    /** Both runs' metrics side by side. */
    public ObservableList<MetricRow> metrics() {
        return metrics;
    }

    /**
     * Compares zero-shot (A) with the run's final labels (B): the project's zero-shot predictions when the window has
     * them for the run's folder and classes, else the zero-shot labels the run started from.
     */
    public void compareWithZeroShot(RunRecord run) {
        LabelSource.RunSource adapted = new LabelSource.RunSource(run, false);
        LabelSource.RunSource started = new LabelSource.RunSource(run, true);
        ZeroShotResult result = context.zeroShotResultProperty().get();
        if (result == null) {
            sourceA.set(started);
            sourceB.set(adapted);
            return;
        }
        ProjectCatalog catalog = catalog();
        LabelSource project = new LabelSource.ZeroShotSource(result);
        Task<LabelSource> choose = new Task<>() {
            @Override
            protected LabelSource call() throws IOException {
                updateMessage("Reading the classes of run " + run.id());
                return mismatch(project, adapted, catalog).isEmpty() ? project : started;
            }
        };
        choose.setOnSucceeded(event -> {
            sourceA.set(choose.getValue());
            sourceB.set(adapted);
        });
        context.runInBackground("Cannot compare run " + run.id() + " with zero-shot", choose);
    }

    // ---- exports: each runs in the background and reports failures through the context ----

    /** Writes the selected row's labels (a finished run's or zero-shot's) as {@code path,label,confidence} rows. */
    public Task<Path> exportLabelsCsv(Path file) {
        LabelSource labels = require(Action.EXPORT_LABELS).labels();
        ProjectCatalog catalog = catalog();
        return background("Cannot export the labels of " + labels, () -> {
            LabelExport.writeCsv(file, exportedRows(labels, catalog), labels.classNames(catalog));
            return file;
        });
    }

    /** Writes the selected row's labels as one folder per class holding links to (or copies of) the images. */
    public Task<Path> exportLabelTree(Path folder, LabelExport.TreeMode mode) {
        LabelSource labels = require(Action.EXPORT_LABELS).labels();
        ProjectCatalog catalog = catalog();
        return background("Cannot export the class folders of " + labels, () -> {
            LabelExport.writeTree(folder, labels.imageFolder(), exportedRows(labels, catalog),
                    labels.classNames(catalog), mode);
            return folder;
        });
    }

    /** The exported rows: zero-shot's predictions, or the run's final labels as the catalog keeps them. */
    private static List<ProjectCatalog.PredictionRow> exportedRows(LabelSource labels, ProjectCatalog catalog)
            throws IOException {
        return labels instanceof LabelSource.ZeroShotSource zeroShot ? zeroShot.predictionRows()
                : catalog.predictions(((LabelSource.RunSource) labels).run().id(), "target");
    }

    /** Writes the selected run's adapted model with its classifier. */
    public Task<Path> exportModel(Path folder) {
        RunRecord run = require(Action.EXPORT_MODEL).run().orElseThrow();
        var shared = context.modelProperty().get();
        return background("Cannot export the model of run " + run.id(), () -> {
            try (RunModel model = RunModel.of(shared, run.inputs().get(RunRecord.INPUT_MODEL), shared == null
                    ? Device.cpu() : shared.device(), message -> { })) {
                RunExport.export(model.clip(), catalog().runDirectory(run.id()), folder);
            }
            return folder;
        });
    }

    /** Writes the selected run's report as a self-contained HTML page, then opens it. */
    public Task<Path> exportReport(Path file) {
        RunRecord run = require(Action.REPORT).run().orElseThrow();
        Task<Path> task = background("Cannot write the report of run " + run.id(), () -> {
            RunReport.write(catalog(), run, file);
            return file;
        });
        task.setOnSucceeded(event -> context.openFile(file));
        return task;
    }

    private void compare() {
        LabelSource a = sourceA.get();
        LabelSource b = sourceB.get();
        metrics.clear();
        compared.set(null);
        if (a == null || b == null) {
            return;
        }
        Map<String, Double> metricsA = a.metrics();
        Map<String, Double> metricsB = b.metrics();
        TreeSet<String> keys = new TreeSet<>(metricsA.keySet());
        keys.addAll(metricsB.keySet());
        List<MetricRow> rows = new ArrayList<>();
        for (String key : keys) {
            rows.add(new MetricRow(key, metricsA.get(key), metricsB.get(key)));
        }
        metrics.setAll(rows);
        ProjectCatalog catalog = catalog();
        Task<Compared> task = new Task<>() {
            @Override
            protected Compared call() throws IOException {
                updateMessage("Comparing " + a + " with " + b);
                Optional<String> mismatch = mismatch(a, b, catalog);
                if (mismatch.isPresent()) {
                    throw new IllegalArgumentException(mismatch.get());
                }
                Map<String, Integer> truth = new HashMap<>(b.truth(catalog));
                truth.putAll(a.truth(catalog));
                return new Compared(a, b, RunComparison.of(a.labels(catalog), b.labels(catalog), truth),
                        a.classNames(catalog));
            }
        };
        task.setOnSucceeded(event -> {
            if (a.equals(sourceA.get()) && b.equals(sourceB.get())) { // only the latest choice is shown
                compared.set(task.getValue());
            }
        });
        context.runInBackground("Cannot compare " + a + " with " + b, task);
    }

    /** Why {@code a} and {@code b} cannot be compared image by image (other folders or classes), if they cannot. */
    private static Optional<String> mismatch(LabelSource a, LabelSource b, ProjectCatalog catalog) throws IOException {
        Path folderA = a.imageFolder().toAbsolutePath().normalize();
        Path folderB = b.imageFolder().toAbsolutePath().normalize();
        if (!folderA.equals(folderB)) {
            return Optional.of(a + " labels the images of " + folderA + " and " + b + " those of " + folderB
                    + ": choose two label sets of the same folder");
        }
        List<String> classesA = a.classNames(catalog);
        List<String> classesB = b.classNames(catalog);
        if (!classesA.equals(classesB)) {
            return Optional.of(a + " sorts into the classes " + classesA + " and " + b + " into " + classesB
                    + ": compare label sets of the same class list (run zero-shot again with the run's classes)");
        }
        return Optional.empty();
    }

    /**
     * The history and the choices of the comparison: the project's zero-shot predictions (when the window has them)
     * first, then the runs (to compare: each finished run's final labels and the labels it started from).
     */
    private void refreshSources() {
        List<LabelSource> all = new ArrayList<>();
        List<HistoryRow> rows = new ArrayList<>();
        ZeroShotResult result = context.zeroShotResultProperty().get();
        if (result != null) {
            LabelSource.ZeroShotSource zeroShot = new LabelSource.ZeroShotSource(result);
            all.add(zeroShot);
            rows.add(HistoryRow.of(zeroShot));
        }
        for (RunRecord run : context.runs()) {
            LabelSource.RunSource adapted = new LabelSource.RunSource(run, false);
            rows.add(HistoryRow.of(adapted));
            if (run.status() == RunRecord.Status.DONE) {
                all.add(adapted);
                all.add(new LabelSource.RunSource(run, true));
            }
        }
        sources.setAll(all);
        history.setAll(rows);
    }

    /** A side that showed the previous zero-shot predictions shows the new ones (after a re-classify). */
    private void replaceZeroShot(ObjectProperty<LabelSource> side, ZeroShotResult result) {
        if (side.get() instanceof LabelSource.ZeroShotSource) {
            side.set(result == null ? null : new LabelSource.ZeroShotSource(result));
        }
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> Task<T> background(String failure, Work<T> work) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                updateMessage(failure.replace("Cannot ", "Running: "));
                return work.run();
            }
        };
        context.runInBackground(failure, task);
        return task;
    }

    private HistoryRow require(Action action) {
        Optional<String> unavailable = unavailable(selected.get(), action);
        if (unavailable.isPresent()) {
            throw new IllegalStateException(unavailable.get());
        }
        return selected.get();
    }

    private ProjectCatalog catalog() {
        ProjectCatalog catalog = context.catalog();
        if (catalog == null) {
            throw new IllegalStateException("Open a project first");
        }
        return catalog;
    }
}
