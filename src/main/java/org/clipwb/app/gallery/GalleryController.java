package org.clipwb.app.gallery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * Connects the gallery to the window's context: it shows the latest zero-shot result, the chosen run's verdicts (read
 * from the run's signals in the background), the open project's labeled shots, and shares the selection. Its commands
 * add labeled shots to the project: "vouch" keeps the shown pseudo-label, "correct" sets another class; the methods
 * read them from the project's shots file.
 */
public final class GalleryController {
    private final WorkbenchContext context;
    private final GalleryViewModel gallery;
    private final ObjectProperty<RunRecord> comparedRun = new SimpleObjectProperty<>(this, "comparedRun");

    public GalleryController(WorkbenchContext context, GalleryViewModel gallery) {
        this.context = context;
        this.gallery = gallery;
        context.zeroShotResultProperty().addListener((observable, old, result) -> {
            if (result != null) {
                gallery.show(result);
            }
        });
        context.selectedRunProperty().addListener((observable, old, run) -> loadOverlay(run,
                context.selectedRunProperty(), gallery.overlayProperty()::set));
        comparedRun.addListener((observable, old, run) -> loadOverlay(run, comparedRun,
                gallery.comparedOverlayProperty()::set));
        context.projectProperty().addListener((observable, old, project) -> loadShots(project));
        gallery.selectedProperty().bindBidirectional(context.selectedImageProperty());
        gallery.selectionChangesProperty().addListener(observable -> context.selectedImages()
                .setAll(gallery.selection()));
    }

    /** The run that "Differs from the compared run" compares with; null for none. */
    public ObjectProperty<RunRecord> comparedRunProperty() {
        return comparedRun;
    }

    /** The runs the gallery can show: those of the open project. */
    public ObservableList<RunRecord> runs() {
        return context.runs();
    }

    /** The run shown over the images; null shows the zero-shot predictions. */
    public ObjectProperty<RunRecord> shownRunProperty() {
        return context.selectedRunProperty();
    }

    /** Vouches for the shown pseudo-labels of {@code items}: each becomes a labeled shot of its shown class. */
    public void vouch(Collection<GalleryItem> items) {
        Map<Path, String> labels = new HashMap<>();
        items.forEach(item -> labels.put(item.path(), gallery.pseudoLabelName(item)));
        putShots(labels, WorkbenchProject.VOUCHED, "vouch for the labels");
    }

    /** Corrects the labels of {@code items} to {@code className}: each becomes a labeled shot of that class. */
    public void correct(Collection<GalleryItem> items, String className) {
        Map<Path, String> labels = new HashMap<>();
        items.forEach(item -> labels.put(item.path(), className));
        putShots(labels, WorkbenchProject.CORRECTED, "correct the labels");
    }

    /** Removes the labeled shots of {@code items}. */
    public void forget(Collection<GalleryItem> items) {
        WorkbenchProject project = requireProject("remove labeled shots");
        if (project == null) {
            return;
        }
        List<Path> paths = items.stream().map(GalleryItem::path).toList();
        context.runInBackground("Cannot remove the labeled shots", new Task<Void>() {
            @Override
            protected Void call() throws IOException {
                for (Path path : paths) {
                    project.removeShot(path);
                }
                return null;
            }

            @Override
            protected void succeeded() {
                gallery.removeShots(paths);
            }
        });
    }

    /** Imports labeled shots (a CSV of path,label rows or a folder of class subfolders) into the open project. */
    public void importShots(Path source) {
        WorkbenchProject project = requireProject("import labeled shots");
        if (project == null) {
            return;
        }
        context.runInBackground("Cannot import the labeled shots of " + source, new Task<Integer>() {
            @Override
            protected Integer call() throws IOException {
                updateMessage("Importing labeled shots from " + source);
                return project.importShots(source);
            }

            @Override
            protected void succeeded() {
                loadShots(project);
            }
        });
    }

    private void putShots(Map<Path, String> labels, String source, String what) {
        WorkbenchProject project = requireProject(what);
        if (project == null || labels.isEmpty()) {
            return;
        }
        context.runInBackground("Cannot " + what, new Task<Void>() {
            @Override
            protected Void call() throws IOException {
                updateMessage("Saving " + labels.size() + " labeled shot" + (labels.size() == 1 ? "" : "s"));
                for (Map.Entry<Path, String> label : labels.entrySet()) {
                    project.putShot(label.getKey(), label.getValue(), source);
                }
                return null;
            }

            @Override
            protected void succeeded() {
                gallery.putShots(labels);
            }
        });
    }

    private WorkbenchProject requireProject(String what) {
        WorkbenchProject project = context.project();
        if (project == null) {
            context.showError("Cannot " + what, new IllegalStateException("Labeled shots are kept in a project: "
                    + "open or create one first (Project menu), then run zero-shot and try again"));
        }
        return project;
    }

    private void loadShots(WorkbenchProject project) {
        gallery.setShots(Map.of());
        if (project == null) {
            return;
        }
        context.runInBackground("Cannot read the labeled shots of " + project.name(), new Task<Map<Path, String>>() {
            @Override
            protected Map<Path, String> call() throws IOException {
                Map<Path, String> shots = new HashMap<>();
                for (ProjectCatalog.Shot shot : project.shots()) {
                    shots.put(Path.of(shot.path()), shot.label());
                }
                return shots;
            }

            @Override
            protected void succeeded() {
                if (context.project() == project) {
                    gallery.putShots(getValue());
                }
            }
        });
    }

    /**
     * Reads a run's signals in the background and hands the overlay over unless {@code chosen} moved on meanwhile;
     * null (zero-shot) at once.
     */
    private void loadOverlay(RunRecord run, ObjectProperty<RunRecord> chosen, Consumer<RunOverlay> show) {
        WorkbenchProject project = context.project();
        if (run == null || project == null) {
            show.accept(null);
            return;
        }
        Path directory = project.catalog().runDirectory(run.id());
        context.runInBackground("Cannot show the run " + run.id(), new Task<RunOverlay>() {
            @Override
            protected RunOverlay call() throws IOException {
                updateMessage("Reading the signals of run " + run.id());
                return RunOverlay.of(run.id(), new ArrayList<>(new RunSignals(directory).phases()));
            }

            @Override
            protected void succeeded() {
                if (chosen.get() == run) {
                    show.accept(getValue());
                }
            }
        });
    }
}
