package org.clipwb.app.dataset;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.concurrent.Task;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.analysis.ClassCounts;
import org.clipwb.core.analysis.ConfidenceHistogram;
import org.clipwb.core.analysis.ConfusionMatrix;
import org.clipwb.core.analysis.ExactTsne;
import org.clipwb.core.analysis.ImageSet;
import org.clipwb.core.analysis.Pca;
import org.clipwb.core.analysis.ReliabilityDiagram;
import org.clipwb.core.analysis.RunAnalysis;
import org.clipwb.core.analysis.RunInspection;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * The dataset views' state: the images on show (zero-shot, or under the selected run) with their confidence
 * histogram and threshold, per-class counts, reliability diagram, confusion matrix and 2-D embedding map. Loading
 * and map projections run as background tasks (the map's with progress and cancel); the FX thread only bins.
 */
public final class DatasetViewModel {
    static final int HISTOGRAM_BINS = 20;
    static final int RELIABILITY_BINS = 10;
    /** Images a t-SNE map computes at most (a seeded sample beyond): exact t-SNE takes seconds up to here. */
    static final int TSNE_SAMPLE = 1000;
    static final double TSNE_PERPLEXITY = 30;
    static final int TSNE_ITERATIONS = 1000;
    private static final long MAP_SEED = 42;

    /** What the views show for one analysis, binned once. */
    public record Summary(RunAnalysis analysis, int[] predicted, float[] confidence, ConfidenceHistogram histogram,
            ClassCounts classCounts, Optional<ReliabilityDiagram> reliability, Optional<ConfusionMatrix> confusion,
            Optional<float[]> cleanProbability, Optional<float[]> alpha) {
        /** The images. */
        public ImageSet images() {
            return analysis.images();
        }
    }

    private final WorkbenchContext context;
    private final AnalysisSource source;
    private final ReadOnlyObjectWrapper<Summary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status");
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0.5);
    private final StringBinding coverageText;
    private final ObjectProperty<MapProjection> projection = new SimpleObjectProperty<>(this, "projection",
            MapProjection.PCA);
    private final ObjectProperty<MapColouring> colouring = new SimpleObjectProperty<>(this, "colouring",
            MapColouring.CLASS);
    private final ReadOnlyObjectWrapper<MapPoints> mapPoints = new ReadOnlyObjectWrapper<>(this, "mapPoints");
    private final ReadOnlyBooleanWrapper mapBusy = new ReadOnlyBooleanWrapper(this, "mapBusy");
    private final ReadOnlyDoubleWrapper mapProgress = new ReadOnlyDoubleWrapper(this, "mapProgress");
    private final ReadOnlyStringWrapper mapStatus = new ReadOnlyStringWrapper(this, "mapStatus", "");
    private Task<Summary> loading;
    private Task<MapPoints> mapping;
    private IntConsumer onOpenImage = index -> { };
    private Consumer<List<Integer>> onSelectImages = indices -> { };

    /** Follows {@code context}'s zero-shot result and selected run; {@code source} may be shared with the inspector. */
    public DatasetViewModel(WorkbenchContext context, AnalysisSource source) {
        this.context = context;
        this.source = source;
        ChangeListener<Object> reload = (observable, old, value) -> reload();
        context.zeroShotResultProperty().addListener(reload);
        context.selectedRunProperty().addListener(reload);
        projection.addListener((observable, old, value) -> computeMap());
        coverageText = Bindings.createStringBinding(this::describeCoverage, threshold, summary);
        reload();
    }

    // ---- state ----

    /** What is shown, or null before the first classification. */
    public ReadOnlyObjectProperty<Summary> summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the views are empty, or what is loading; empty when there is something to show. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The confidence a pseudo-label needs to pass. */
    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    /** What passes the threshold: coverage and, with evaluation labels, accuracy. */
    public StringBinding coverageText() {
        return coverageText;
    }

    /** The embedding map's projection. */
    public ObjectProperty<MapProjection> projectionProperty() {
        return projection;
    }

    /** What the map's colours show. */
    public ObjectProperty<MapColouring> colouringProperty() {
        return colouring;
    }

    /** The map's points, or null while none are computed. */
    public ReadOnlyObjectProperty<MapPoints> mapPointsProperty() {
        return mapPoints.getReadOnlyProperty();
    }

    /** Whether a map projection is being computed. */
    public ReadOnlyBooleanProperty mapBusyProperty() {
        return mapBusy.getReadOnlyProperty();
    }

    /** The projection's progress in [0, 1], −1 when unknown. */
    public ReadOnlyDoubleProperty mapProgressProperty() {
        return mapProgress.getReadOnlyProperty();
    }

    /** What the map shows, or why it shows nothing. */
    public ReadOnlyStringProperty mapStatusProperty() {
        return mapStatus.getReadOnlyProperty();
    }

    /** The colourings the current data supports (CoFT's p_clean and LLU's α only with such a run). */
    public Set<MapColouring> availableColourings() {
        Set<MapColouring> available = EnumSet.of(MapColouring.CLASS, MapColouring.CONFIDENCE);
        Summary current = summary.get();
        if (current != null && current.cleanProbability().isPresent()) {
            available.add(MapColouring.CLEAN);
        }
        if (current != null && current.alpha().isPresent()) {
            available.add(MapColouring.LLU_ALPHA);
        }
        return available;
    }

    /**
     * The value each image is coloured by under {@code by}: a class index for {@link MapColouring#CLASS}, otherwise a
     * value in [0, 1] (NaN where the image has none, e.g. not seen by the run).
     */
    public double[] colourValues(MapColouring by) {
        Summary current = summary.get();
        if (current == null) {
            return new double[0];
        }
        int n = current.predicted().length;
        double[] values = new double[n];
        float[] clean = current.cleanProbability().orElse(null);
        float[] alpha = current.alpha().orElse(null);
        // α ≤ β ≤ 1; shown relative to the largest so that a small β still spans the colours.
        double alphaScale = alpha == null ? 1 : max(alpha);
        for (int i = 0; i < n; i++) {
            values[i] = switch (by) {
                case CLASS -> current.predicted()[i];
                case CONFIDENCE -> current.confidence()[i];
                case CLEAN -> clean == null ? Double.NaN : clean[i];
                case LLU_ALPHA -> alpha == null ? Double.NaN : alpha[i] / alphaScale;
            };
        }
        return values;
    }

    private static double max(float[] values) {
        double max = 0;
        for (float v : values) {
            if (v > max) {
                max = v;
            }
        }
        return max == 0 ? 1 : max;
    }

    // ---- actions ----

    /** Also tells {@code listener} when an image is opened from the map (the context's selected image is set first). */
    public void setOnOpenImage(IntConsumer listener) {
        this.onOpenImage = listener;
    }

    /** Also tells {@code listener} the images a lasso selected (the context's selected images are set first). */
    public void setOnSelectImages(Consumer<List<Integer>> listener) {
        this.onSelectImages = listener;
    }

    /** Opens image {@code index} in the inspector: it becomes the context's selected image. */
    public void openImage(int index) {
        List<GalleryItem> items = galleryItems();
        if (index < 0 || index >= items.size()) {
            return;
        }
        context.selectedImageProperty().set(items.get(index));
        onOpenImage.accept(index);
    }

    /** Selects images (a lasso on the map): they become the context's selected images, for the gallery. */
    public void selectImages(List<Integer> indices) {
        List<GalleryItem> items = galleryItems();
        List<GalleryItem> selected = new ArrayList<>(indices.size());
        for (int index : indices) {
            selected.add(items.get(index));
        }
        context.selectedImages().setAll(selected);
        onSelectImages.accept(List.copyOf(indices));
    }

    private List<GalleryItem> galleryItems() {
        ZeroShotResult result = context.zeroShotResultProperty().get();
        return result == null ? List.of() : GalleryItem.of(result.run());
    }

    /** Stops the map projection under way, if any. */
    public void cancelMap() {
        if (mapping != null) {
            mapping.cancel();
        }
    }

    /** Loads the analysis of the context's zero-shot result and selected run again. */
    public void reload() {
        if (loading != null) {
            loading.cancel();
            loading = null;
        }
        ZeroShotResult result = context.zeroShotResultProperty().get();
        if (result == null) {
            summary.set(null);
            mapPoints.set(null);
            status.set("Classify the images first: these views summarise a classification or a run.");
            return;
        }
        RunRecord run = context.selectedRunProperty().get();
        ProjectCatalog catalog = context.catalog();
        status.set(run == null ? "Summarising the zero-shot classification…" : "Reading run " + run.id() + "…");
        Task<Summary> task = new Task<>() {
            @Override
            protected Summary call() throws Exception {
                updateMessage("Summarising the dataset");
                return summarise(source.analysis(result, run, catalog));
            }
        };
        task.setOnSucceeded(event -> {
            if (task == loading) {
                loading = null;
                summary.set(task.getValue());
                status.set("");
                if (!availableColourings().contains(colouring.get())) {
                    colouring.set(MapColouring.CLASS);
                }
                computeMap();
            }
        });
        task.setOnFailed(event -> {
            if (task == loading) {
                loading = null;
                status.set("Could not read the run: " + task.getException().getMessage());
            }
        });
        loading = task;
        context.runInBackground("Cannot summarise the dataset", task);
    }

    private static Summary summarise(RunAnalysis analysis) {
        ImageSet images = analysis.images();
        int[] predicted = analysis.predicted();
        float[] confidence = analysis.confidence();
        int[] truth = images.evaluationLabels();
        boolean labels = images.hasEvaluationLabels();
        Optional<RunInspection> run = analysis.run();
        return new Summary(analysis, predicted, confidence,
                new ConfidenceHistogram(confidence, predicted, truth, HISTOGRAM_BINS),
                ClassCounts.of(predicted, analysis.kept().orElse(null), truth, images.classCount()),
                labels ? Optional.of(ReliabilityDiagram.of(confidence, predicted, truth, RELIABILITY_BINS))
                        : Optional.empty(),
                labels ? Optional.of(ConfusionMatrix.of(predicted, truth, images.classCount())) : Optional.empty(),
                run.flatMap(r -> r.cleanProbabilities(images.size())), run.flatMap(r -> r.alphas(images.size())));
    }

    private String describeCoverage() {
        Summary current = summary.get();
        if (current == null) {
            return "";
        }
        ConfidenceHistogram.Coverage coverage = current.histogram().coverage(threshold.get());
        String passing = String.format(Locale.ROOT, "Confidence ≥ %.2f: %d of %d images pass (%.1f%%)",
                threshold.get(), coverage.passing(), coverage.total(), 100 * coverage.fraction());
        if (!current.histogram().hasLabels()) {
            return passing + "; without evaluation labels their accuracy is unknown.";
        }
        if (coverage.accuracy().isEmpty()) {
            return passing + "; none of them has an evaluation label.";
        }
        return passing + String.format(Locale.ROOT, "; %.1f%% of the labels that pass are right.",
                100 * coverage.accuracy().getAsDouble());
    }

    private void computeMap() {
        cancelMap();
        Summary current = summary.get();
        if (current == null) {
            return;
        }
        ImageSet images = current.images();
        MapProjection kind = projection.get();
        if (kind == MapProjection.TSNE && images.size() < 3) {
            mapPoints.set(null);
            mapStatus.set("t-SNE needs at least three images.");
            return;
        }
        Task<MapPoints> task = new Task<>() {
            @Override
            protected MapPoints call() {
                updateMessage(kind == MapProjection.PCA ? "Projecting the embeddings (PCA)"
                        : "Computing the t-SNE map");
                return kind == MapProjection.PCA ? pca(images) : tsne(images, this::updateProgress, this::isCancelled);
            }
        };
        mapBusy.set(true);
        mapProgress.bind(task.progressProperty());
        mapStatus.set(kind == MapProjection.PCA ? "Projecting…" : "Computing t-SNE…");
        task.setOnSucceeded(event -> finishMap(task, task.getValue(), task.getValue().description()));
        task.setOnCancelled(event -> finishMap(task, mapPoints.get(), "Map computation cancelled."));
        task.setOnFailed(event -> finishMap(task, mapPoints.get(), "Could not compute the map: "
                + task.getException().getMessage()));
        mapping = task;
        context.runInBackground("Cannot compute the embedding map", task);
    }

    private void finishMap(Task<MapPoints> task, MapPoints points, String message) {
        if (task != mapping) {
            return;
        }
        mapping = null;
        mapProgress.unbind();
        mapBusy.set(false);
        mapPoints.set(points);
        mapStatus.set(message);
    }

    private static MapPoints pca(ImageSet images) {
        int[] all = IntStream.range(0, images.size()).toArray();
        Pca.Projection projection = Pca.project(images.embeddings(), 2);
        return new MapPoints(all, projection.coordinates(), String.format(Locale.ROOT,
                "PCA of %d images: the two axes explain %.0f%% of the variance.", images.size(),
                100 * (projection.explained(0) + projection.explained(1))));
    }

    /** Reports progress as (done, total). */
    private interface ProgressSink {
        void update(long done, long total);
    }

    private static MapPoints tsne(ImageSet images, ProgressSink progress, BooleanSupplier cancelled) {
        int[] sample = ExactTsne.sample(images.size(), TSNE_SAMPLE, MAP_SEED);
        float[][] points = new float[sample.length][];
        for (int k = 0; k < sample.length; k++) {
            points[k] = images.embeddings()[sample[k]];
        }
        double perplexity = Math.min(TSNE_PERPLEXITY, (sample.length - 1) / 3.0);
        float[][] map = ExactTsne.embed(points, Math.max(1, perplexity), TSNE_ITERATIONS, MAP_SEED,
                progress::update, cancelled);
        String of = sample.length == images.size() ? sample.length + " images"
                : String.format(Locale.ROOT, "a seeded sample of %d of %d images", sample.length, images.size());
        return new MapPoints(sample, map, "t-SNE (exact, perplexity " + Math.round(Math.max(1, perplexity)) + ") of "
                + of + ": neighbourhoods are kept; distances between clusters mean little.");
    }
}
