package org.clipwb.app.inspector;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.dataset.AnalysisSource;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.analysis.ImageSet;
import org.clipwb.core.analysis.LabelHistory;
import org.clipwb.core.analysis.NearestNeighbours;
import org.clipwb.core.analysis.RunAnalysis;
import org.clipwb.core.analysis.RunInspection;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.zeroshot.Prediction;

/**
 * The inspector's state: follows the context's selected image and run, and computes what to show about the image
 * (its scores, its history, the run's signals, its nearest neighbours) in a background task, the latest selection
 * winning over earlier ones.
 */
public final class InspectorViewModel {
    static final int TOP_K = 5;
    static final int NEIGHBOURS = 8;
    static final int ANCHORS = 3;
    static final int IMAGES_PER_ANCHOR = 4;

    private final WorkbenchContext context;
    private final AnalysisSource source;
    private final ReadOnlyObjectWrapper<InspectorContent> content = new ReadOnlyObjectWrapper<>(this, "content");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status");
    private Task<InspectorContent> pending;

    /** Follows {@code context}; {@code source} may be shared with the dataset views. */
    public InspectorViewModel(WorkbenchContext context, AnalysisSource source) {
        this.context = context;
        this.source = source;
        ChangeListener<Object> refresh = (observable, old, value) -> refresh();
        context.selectedImageProperty().addListener(refresh);
        context.selectedRunProperty().addListener(refresh);
        context.zeroShotResultProperty().addListener(refresh);
        context.runs().addListener((ListChangeListener<RunRecord>) change -> refresh());
        refresh();
    }

    /** What is shown, or null while there is nothing to show. */
    public ReadOnlyObjectProperty<InspectorContent> contentProperty() {
        return content.getReadOnlyProperty();
    }

    /** A plain-language line on what the inspector is doing or why it is empty; empty when content is shown. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Shows image {@code index} of the zero-shot result (e.g. a neighbour's thumbnail was clicked). */
    public void select(int index) {
        ZeroShotResult result = context.zeroShotResultProperty().get();
        if (result != null && index >= 0 && index < result.run().predictions().size()) {
            context.selectedImageProperty().set(GalleryItem.of(result.run()).get(index));
        }
    }

    /** Recomputes what is shown for the context's current image and run. */
    public void refresh() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        GalleryItem item = context.selectedImageProperty().get();
        ZeroShotResult result = context.zeroShotResultProperty().get();
        if (result == null) {
            content.set(null);
            status.set("Classify the images first: the inspector shows one image's scores and signals.");
            return;
        }
        if (item == null) {
            content.set(null);
            status.set("Select an image in the gallery or on the embedding map to inspect it.");
            return;
        }
        if (item.index() >= result.run().predictions().size()) {
            content.set(null);
            status.set("The selected image is not among the classified images; classify the folder again.");
            return;
        }
        RunRecord run = context.selectedRunProperty().get();
        ProjectCatalog catalog = context.catalog();
        List<RunRecord> runs = List.copyOf(context.runs());
        int index = item.index();
        status.set("Inspecting " + item.fileName() + "…");
        Task<InspectorContent> task = new Task<>() {
            @Override
            protected InspectorContent call() throws Exception {
                updateMessage("Inspecting " + item.fileName());
                return inspect(result, run, catalog, runs, index);
            }
        };
        task.setOnSucceeded(event -> {
            if (task == pending) {
                pending = null;
                content.set(task.getValue());
                status.set("");
            }
        });
        task.setOnFailed(event -> {
            if (task == pending) {
                pending = null;
                content.set(null);
                status.set("Could not inspect " + item.fileName() + ": " + task.getException().getMessage());
            }
        });
        pending = task;
        context.runInBackground("Cannot inspect " + item.fileName(), task);
    }

    private InspectorContent inspect(ZeroShotResult result, RunRecord run, ProjectCatalog catalog,
            List<RunRecord> runs, int index) throws Exception {
        RunAnalysis analysis = source.analysis(result, run, catalog);
        ImageSet images = analysis.images();
        Prediction prediction = analysis.shown().prediction(index);
        List<InspectorContent.ClassScore> top = new ArrayList<>();
        for (int label : prediction.topK(Math.min(TOP_K, images.classCount()))) {
            top.add(new InspectorContent.ClassScore(label, images.classNames().get(label),
                    prediction.probabilities()[label]));
        }
        String scoresSource = analysis.usesAdaptedProbabilities()
                ? "run " + run.id() + "'s adapted classifier" : "zero-shot";
        List<LabelHistory.RunLabel> runLabels = catalog == null ? List.of()
                : source.history(catalog, runs).of(images.keys().get(index));
        Optional<RunInspection> inspection = analysis.run();
        NearestNeighbours.Neighbours neighbours = new NearestNeighbours(images.embeddings())
                .search(images.embeddings()[index], NEIGHBOURS, index);
        return new InspectorContent(index, images, List.copyOf(top), scoresSource, Optional.ofNullable(run),
                inspection.map(r -> r.covers(index)).orElse(false),
                inspection.map(r -> r.history(index)).orElse(List.of()), runLabels,
                inspection.flatMap(r -> r.coft(index)),
                inspection.flatMap(r -> r.llu(index, images, ANCHORS, IMAGES_PER_ANCHOR)),
                inspection.flatMap(r -> r.latte(index)), neighbours);
    }
}
