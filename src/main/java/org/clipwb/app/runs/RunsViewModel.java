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

    private final WorkbenchContext context;
    private final ObservableList<LabelSource> sources = FXCollections.observableArrayList();
    private final ObjectProperty<RunRecord> selected = new SimpleObjectProperty<>(this, "selected");
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

    /** The project's runs, oldest first. */
    public ObservableList<RunRecord> runs() {
        return context.runs();
    }

    /** The run the actions apply to. */
    public ObjectProperty<RunRecord> selectedProperty() {
        return selected;
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

    /** Writes the selected run's labels as {@code path,label,confidence} rows. */
    public Task<Path> exportLabelsCsv(Path file) {
        RunRecord run = requireDone();
        return background("Cannot export the labels of run " + run.id(), () -> {
            LabelExport.writeCsv(file, catalog().predictions(run.id(), "target"), classNames(run));
            return file;
        });
    }

    /** Writes the selected run's labels as one folder per class holding links to (or copies of) the images. */
    public Task<Path> exportLabelTree(Path folder, LabelExport.TreeMode mode) {
        RunRecord run = requireDone();
        return background("Cannot export the class folders of run " + run.id(), () -> {
            LabelExport.writeTree(folder, Path.of(run.inputs().get(RunRecord.INPUT_IMAGES)),
                    catalog().predictions(run.id(), "target"), classNames(run), mode);
            return folder;
        });
    }

    /** Writes the selected run's adapted model with its classifier. */
    public Task<Path> exportModel(Path folder) {
        RunRecord run = requireDone();
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
        RunRecord run = requireSelected();
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

    /** The project's zero-shot predictions (when the window has them) first, then each finished run's labels. */
    private void refreshSources() {
        List<LabelSource> all = new ArrayList<>();
        ZeroShotResult result = context.zeroShotResultProperty().get();
        if (result != null) {
            all.add(new LabelSource.ZeroShotSource(result));
        }
        for (RunRecord run : context.runs()) {
            if (run.status() == RunRecord.Status.DONE) {
                all.add(new LabelSource.RunSource(run, false));
                all.add(new LabelSource.RunSource(run, true));
            }
        }
        sources.setAll(all);
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

    private List<String> classNames(RunRecord run) throws IOException {
        return LabelSource.classNamesOf(catalog(), run);
    }

    private RunRecord requireSelected() {
        if (selected.get() == null) {
            throw new IllegalStateException("Choose a run first");
        }
        return selected.get();
    }

    private RunRecord requireDone() {
        RunRecord run = requireSelected();
        if (run.status() != RunRecord.Status.DONE) {
            throw new IllegalStateException("Run " + run.id() + " is " + run.status().name().toLowerCase(
                    java.util.Locale.ROOT) + ": resume it in the Training tab before exporting");
        }
        return run;
    }

    private ProjectCatalog catalog() {
        ProjectCatalog catalog = context.catalog();
        if (catalog == null) {
            throw new IllegalStateException("Open a project first");
        }
        return catalog;
    }
}
