package org.clipwb.app.gallery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.zeroshot.Evaluation;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * The gallery's state on the FX thread: the images of the latest result, the run shown over them (its pseudo-labels
 * and per-image signals, or none for zero-shot), the sort order and filters (pseudo-label class, confidence range,
 * mistakes only, CoFT clean or noisy, agreement of CoFT's two models, flipped labels, labeled shots), the visible
 * images, the selection (the focused image and a multi-selection) and the run's summary. Plain observable state (no
 * controls), so it is tested without a window.
 */
public final class GalleryViewModel {
    private static final String ALL_CLASSES = "All classes";

    private final ObservableList<GalleryItem> items = FXCollections.observableArrayList();
    private final FilteredList<GalleryItem> filtered = new FilteredList<>(items);
    private final SortedList<GalleryItem> visible = new SortedList<>(filtered);
    private final ObjectProperty<GallerySort> sort = new SimpleObjectProperty<>(this, "sort", GallerySort.FILE_NAME);
    private List<String> classNames = List.of();
    private final ObservableList<ClassFilter> classFilters = FXCollections.observableArrayList(
            new ClassFilter(ClassFilter.ALL, ALL_CLASSES, 0));
    private final ObjectProperty<ClassFilter> classFilter = new SimpleObjectProperty<>(this, "classFilter",
            classFilters.get(0));
    private final DoubleProperty minConfidence = new SimpleDoubleProperty(this, "minConfidence", 0);
    private final DoubleProperty maxConfidence = new SimpleDoubleProperty(this, "maxConfidence", 1);
    private final BooleanProperty onlyMistakes = new SimpleBooleanProperty(this, "onlyMistakes");
    private final ReadOnlyBooleanWrapper labelled = new ReadOnlyBooleanWrapper(this, "labelled");
    private final ObjectProperty<RunOverlay> overlay = new SimpleObjectProperty<>(this, "overlay");
    private final ObjectProperty<RunOverlay> comparedOverlay = new SimpleObjectProperty<>(this, "comparedOverlay");
    private final ObjectProperty<SignalFilter> cleanFilter = new SimpleObjectProperty<>(this, "cleanFilter",
            SignalFilter.ANY);
    private final ObjectProperty<SignalFilter> agreementFilter = new SimpleObjectProperty<>(this, "agreementFilter",
            SignalFilter.ANY);
    private final ObjectProperty<SignalFilter> shotFilter = new SimpleObjectProperty<>(this, "shotFilter",
            SignalFilter.ANY);
    private final ObjectProperty<FlipFilter> flipFilter = new SimpleObjectProperty<>(this, "flipFilter",
            FlipFilter.ANY);
    /** The labeled shots; changed only through the methods below, which tell the filter once per change. */
    private final Map<Path, String> shots = new HashMap<>();
    private final Map<Path, String> shotsView = Collections.unmodifiableMap(shots);
    private final ReadOnlyIntegerWrapper shotChanges = new ReadOnlyIntegerWrapper(this, "shotChanges");
    private final ObjectProperty<GalleryItem> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableSet<GalleryItem> selection = FXCollections.observableSet(new LinkedHashSet<>());
    private final ObservableSet<GalleryItem> selectionView = FXCollections.unmodifiableObservableSet(selection);
    private final ReadOnlyIntegerWrapper redraws = new ReadOnlyIntegerWrapper(this, "redraws");
    private final ReadOnlyIntegerWrapper selectionChanges = new ReadOnlyIntegerWrapper(this, "selectionChanges");
    private GalleryItem anchor;
    private final ReadOnlyStringWrapper evaluationText = new ReadOnlyStringWrapper(this, "evaluationText", "");
    /** Zero-shot's accuracy in words (or why there is none), what the evaluation text says when no run is shown. */
    private String zeroShotEvaluation = "";
    private final ObservableList<ZeroShotResult.FileProblem> problems = FXCollections.observableArrayList();
    // Read-only views, made once so that bindings on them all watch the same list.
    private final ObservableList<GalleryItem> allItemsView = FXCollections.unmodifiableObservableList(items);
    private final ObservableList<ClassFilter> classFiltersView = FXCollections.unmodifiableObservableList(
            classFilters);
    private final ObservableList<ZeroShotResult.FileProblem> problemsView = FXCollections.unmodifiableObservableList(
            problems);
    private final StringBinding countText = Bindings.createStringBinding(() -> items.isEmpty() ? "No images yet"
            : String.format(Locale.ROOT, "Showing %d of %d images", visible.size(), items.size()), visible, items);

    /** Starts empty, sorted by file name, with no filter. */
    public GalleryViewModel() {
        filtered.predicateProperty().bind(Bindings.createObjectBinding(this::predicate, classFilter, minConfidence,
                maxConfidence, onlyMistakes, overlay, comparedOverlay, cleanFilter, agreementFilter, shotFilter,
                flipFilter, shotChanges));
        overlay.addListener((observable, old, shown) -> {
            recountClasses();
            evaluationText.set(describeShown());
            redraw();
        });
        // The focused image is always part of the selection; a plain focus change selects it alone.
        selected.addListener((observable, old, focused) -> {
            if (focused != null && !selection.contains(focused)) {
                selection.clear();
                selection.add(focused);
                anchor = focused;
            } else if (focused == null) {
                selection.clear();
            }
            selectionChanged();
        });
        visible.comparatorProperty().bind(Bindings.createObjectBinding(() -> sort.get().comparator(this), sort,
                overlay));
    }

    /** Shows a run's images and summary, keeping the filters and the selection where they still apply. */
    public void show(ZeroShotResult result) {
        ZeroShotRun run = result.run();
        show(GalleryItem.of(run), run.classes().names());
        zeroShotEvaluation = describeEvaluation(run);
        evaluationText.set(describeShown());
        problems.setAll(result.problems());
    }

    /** Shows these images of a run over {@code classNames}, keeping the filters and the selection where they apply. */
    public void show(List<GalleryItem> newItems, List<String> classNames) {
        String filteredClass = classFilter.get() == null || classFilter.get().classIndex() == ClassFilter.ALL
                ? null : classFilter.get().name();
        Path selectedPath = selected.get() == null ? null : selected.get().path();
        selection.clear();
        items.setAll(newItems);
        this.classNames = List.copyOf(classNames);
        recountClasses();
        setClassFilter(classFilters.stream().filter(f -> f.classIndex() != ClassFilter.ALL
                && f.name().equals(filteredClass)).findFirst().orElse(classFilters.get(0)));
        labelled.set(newItems.stream().anyMatch(GalleryItem::hasLabel));
        if (!labelled.get()) {
            onlyMistakes.set(false);
        }
        selected.set(newItems.stream().filter(item -> item.path().equals(selectedPath)).findFirst().orElse(null));
    }

    /** The class filter choices again, counting each image under its shown pseudo-label. */
    private void recountClasses() {
        ClassFilter chosen = classFilter.get();
        List<ClassFilter> filters = new ArrayList<>();
        filters.add(new ClassFilter(ClassFilter.ALL, ALL_CLASSES, items.size()));
        int[] counts = new int[classNames.size()];
        items.forEach(item -> {
            int label = pseudoLabel(item);
            if (label >= 0 && label < counts.length) {
                counts[label]++;
            }
        });
        for (int c = 0; c < classNames.size(); c++) {
            filters.add(new ClassFilter(c, classNames.get(c), counts[c]));
        }
        classFilters.setAll(filters);
        setClassFilter(chosen == null ? filters.get(0) : filters.stream()
                .filter(f -> f.classIndex() == chosen.classIndex()).findFirst().orElse(filters.get(0)));
    }

    /**
     * Chooses a class filter; an equal choice (the same class and count) is kept as it is, because every new value
     * filters and sorts all images again.
     */
    private void setClassFilter(ClassFilter choice) {
        if (!choice.equals(classFilter.get())) {
            classFilter.set(choice);
        }
    }

    // ---- what a tile shows: the shown run's verdict, or the zero-shot prediction ----

    /** The pseudo-label shown for {@code item}: the shown run's final label, or the zero-shot prediction. */
    public int pseudoLabel(GalleryItem item) {
        RunOverlay run = overlay.get();
        return run != null && run.covers(item.index()) ? run.label()[item.index()] : item.predicted();
    }

    /** The shown pseudo-label's class name. */
    public String pseudoLabelName(GalleryItem item) {
        int label = pseudoLabel(item);
        return label >= 0 && label < item.classNames().size() ? item.classNames().get(label) : "?";
    }

    /** The shown pseudo-label's confidence. */
    public double confidence(GalleryItem item) {
        RunOverlay run = overlay.get();
        return run != null && run.covers(item.index()) ? run.confidence()[item.index()] : item.confidence();
    }

    /** Whether the shown pseudo-label disagrees with the evaluation label (false without one). */
    public boolean isMistake(GalleryItem item) {
        return item.hasLabel() && pseudoLabel(item) != item.label();
    }

    /** Whether the shown pseudo-label agrees with the evaluation label (false without one). */
    public boolean isCorrect(GalleryItem item) {
        return item.hasLabel() && pseudoLabel(item) == item.label();
    }

    /** CoFT's verdict on the shown label: true clean, false noisy, null when the shown run has none. */
    public Boolean isClean(GalleryItem item) {
        RunOverlay run = overlay.get();
        return run == null || !run.hasCleanSignal() || !run.covers(item.index()) ? null
                : run.clean()[item.index()] == 1;
    }

    /** The labeled shot's class of {@code item}, or null when it is not a labeled shot. */
    public String shotLabel(GalleryItem item) {
        return shots.get(item.path());
    }

    /** Shows every image again: no filter of any kind. */
    public void clearFilters() {
        classFilter.set(classFilters.get(0));
        minConfidence.set(0);
        maxConfidence.set(1);
        onlyMistakes.set(false);
        cleanFilter.set(SignalFilter.ANY);
        agreementFilter.set(SignalFilter.ANY);
        shotFilter.set(SignalFilter.ANY);
        flipFilter.set(FlipFilter.ANY);
    }

    /** Selects the visible image {@code delta} places after the focused one (the first when none is). */
    public void selectRelative(int delta) {
        selectRelative(delta, false);
    }

    /**
     * Moves the focus {@code delta} visible places (to the first image when none has it); with {@code extend} the
     * selection grows to the range from the anchor to the new focus, as Shift+arrow does.
     */
    public void selectRelative(int delta, boolean extend) {
        if (visible.isEmpty()) {
            return;
        }
        int index = visible.indexOf(selected.get());
        int next = index < 0 ? 0 : Math.max(0, Math.min(visible.size() - 1, index + delta));
        click(visible.get(next), extend, false);
    }

    /**
     * A click on a tile: alone it focuses and selects the image only; with {@code range} (Shift) it selects the
     * visible images from the anchor to it; with {@code toggle} (Ctrl) it adds it to or removes it from the selection.
     */
    public void click(GalleryItem item, boolean range, boolean toggle) {
        if (range && anchor != null && visible.contains(anchor)) {
            int from = visible.indexOf(anchor);
            int to = visible.indexOf(item);
            List<GalleryItem> span = new ArrayList<>(visible.subList(Math.min(from, to), Math.max(from, to) + 1));
            selection.clear();
            selection.addAll(span);
            selected.set(item);
        } else if (toggle) {
            anchor = item;
            if (selection.remove(item)) {
                if (item.equals(selected.get())) {
                    selected.set(selection.isEmpty() ? null : selection.iterator().next());
                }
            } else {
                selection.add(item);
                selected.set(item);
            }
        } else {
            anchor = item;
            selection.clear();
            selected.set(null);
            selected.set(item);
        }
        selectionChanged();
    }

    /**
     * Selects exactly the images whose {@link GalleryItem#index()} is in {@code indices} (a lasso on the embedding
     * map), focusing the first of them; the filters are cleared first so that every one of them is visible.
     */
    public void selectIndices(Collection<Integer> indices) {
        Set<Integer> wanted = new HashSet<>(indices);
        clearFilters();
        selection.clear();
        GalleryItem first = null;
        for (GalleryItem item : visible) {
            if (wanted.contains(item.index())) {
                selection.add(item);
                first = first == null ? item : first;
            }
        }
        anchor = first;
        selected.set(first);
        selectionChanged();
    }

    /** Selects every visible image, keeping the focus. */
    public void selectAllVisible() {
        selection.addAll(visible);
        if (selected.get() == null && !visible.isEmpty()) {
            selected.set(visible.get(0));
        }
        selectionChanged();
    }

    /**
     * Counts up once after each change of the selection, however many images it touched, so that tiles redraw once
     * (the set itself reports every image added or removed).
     */
    public ReadOnlyIntegerProperty selectionChangesProperty() {
        return selectionChanges.getReadOnlyProperty();
    }

    private void selectionChanged() {
        selectionChanges.set(selectionChanges.get() + 1);
    }

    /** The selected images (the focused one among them), read-only. */
    public ObservableSet<GalleryItem> selection() {
        return selectionView;
    }

    /** The run whose verdicts the tiles show and the filters use; null shows the zero-shot predictions. */
    public ObjectProperty<RunOverlay> overlayProperty() {
        return overlay;
    }

    /** The run that "Differs from the compared run" compares with, or null. */
    public ObjectProperty<RunOverlay> comparedOverlayProperty() {
        return comparedOverlay;
    }

    /** Clean (yes) or noisy (no) by CoFT's collaborative filter; images without the signal pass only ANY. */
    public ObjectProperty<SignalFilter> cleanFilterProperty() {
        return cleanFilter;
    }

    /** Whether CoFT's two models agree (yes) or not (no); images without the signal pass only ANY. */
    public ObjectProperty<SignalFilter> agreementFilterProperty() {
        return agreementFilter;
    }

    /** Labeled shots (yes) or the other images (no). */
    public ObjectProperty<SignalFilter> shotFilterProperty() {
        return shotFilter;
    }

    /** Images whose label changed, and against what. */
    public ObjectProperty<FlipFilter> flipFilterProperty() {
        return flipFilter;
    }

    /** The project's labeled shots: image path to class name (read-only). */
    public Map<Path, String> shots() {
        return shotsView;
    }

    /** Adds or replaces labeled shots; the images are filtered and drawn again once, however many there are. */
    public void putShots(Map<Path, String> labels) {
        shots.putAll(labels);
        shotsChanged();
    }

    /** Removes the labeled shots of {@code paths}. */
    public void removeShots(Collection<Path> paths) {
        shots.keySet().removeAll(paths);
        shotsChanged();
    }

    /** Replaces every labeled shot (another project's, or none). */
    public void setShots(Map<Path, String> labels) {
        shots.clear();
        putShots(labels);
    }

    private void shotsChanged() {
        shotChanges.set(shotChanges.get() + 1);
        redraw();
    }

    /** Counts up whenever tiles must be drawn again though the images are the same (another run, new shots). */
    public ReadOnlyIntegerProperty redrawsProperty() {
        return redraws.getReadOnlyProperty();
    }

    private void redraw() {
        redraws.set(redraws.get() + 1);
    }

    /** The images that pass the filters, in the chosen order (read-only). */
    public ObservableList<GalleryItem> visibleItems() {
        return visible;
    }

    /** Every image of the result, in the folder's order (read-only view). */
    public ObservableList<GalleryItem> allItems() {
        return allItemsView;
    }

    /** The order. */
    public ObjectProperty<GallerySort> sortProperty() {
        return sort;
    }

    /** The class filter choices: "All classes" then each class with its number of predicted images. */
    public ObservableList<ClassFilter> classFilters() {
        return classFiltersView;
    }

    /** The chosen class filter. */
    public ObjectProperty<ClassFilter> classFilterProperty() {
        return classFilter;
    }

    /** The lowest confidence shown, in [0, 1]. */
    public DoubleProperty minConfidenceProperty() {
        return minConfidence;
    }

    /** The highest confidence shown, in [0, 1]. */
    public DoubleProperty maxConfidenceProperty() {
        return maxConfidence;
    }

    /** Whether only images whose prediction disagrees with their label are shown. */
    public BooleanProperty onlyMistakesProperty() {
        return onlyMistakes;
    }

    /** Whether the images have evaluation labels (class subfolders matching the classes). */
    public ReadOnlyBooleanProperty labelledProperty() {
        return labelled.getReadOnlyProperty();
    }

    /** The selected image, or null. */
    public ObjectProperty<GalleryItem> selectedProperty() {
        return selected;
    }

    /** "Showing 37 of 60 images". */
    public StringBinding countTextProperty() {
        return countText;
    }

    /** The accuracy against the class subfolders, why there is none, or empty when the folder has no subfolders. */
    public ReadOnlyStringProperty evaluationTextProperty() {
        return evaluationText.getReadOnlyProperty();
    }

    /** The files of the folder that are not in the gallery, with reasons. */
    public ObservableList<ZeroShotResult.FileProblem> problems() {
        return problemsView;
    }

    private Predicate<GalleryItem> predicate() {
        ClassFilter byClass = classFilter.get();
        double low = minConfidence.get();
        double high = maxConfidence.get();
        boolean mistakes = onlyMistakes.get();
        RunOverlay run = overlay.get();
        RunOverlay compared = comparedOverlay.get();
        SignalFilter clean = cleanFilter.get();
        SignalFilter agree = agreementFilter.get();
        SignalFilter shot = shotFilter.get();
        FlipFilter flip = flipFilter.get();
        return item -> {
            int label = pseudoLabel(item);
            double confidence = confidence(item);
            if ((byClass != null && byClass.classIndex() != ClassFilter.ALL && byClass.classIndex() != label)
                    || confidence < low || confidence > high || (mistakes && !isMistake(item))
                    || !shot.accepts(shots.containsKey(item.path()))) {
                return false;
            }
            int i = item.index();
            boolean covered = run != null && run.covers(i);
            if (clean != SignalFilter.ANY && !(covered && run.hasCleanSignal() && clean.accepts(run.clean()[i] == 1))) {
                return false;
            }
            if (agree != SignalFilter.ANY
                    && !(covered && run.hasAgreementSignal() && agree.accepts(run.agreement()[i] == 1))) {
                return false;
            }
            return switch (flip) {
                case ANY -> true;
                case BETWEEN_PHASES -> covered && run.flipped()[i];
                case FROM_ZERO_SHOT -> covered && label != item.predicted();
                case FROM_COMPARED_RUN -> covered && compared != null && compared.covers(i)
                        && compared.label()[i] != label;
            };
        };
    }

    /**
     * The accuracy of the labels the tiles show: the shown run's beside zero-shot's when a run is shown and the images
     * have evaluation labels, else zero-shot's.
     */
    private String describeShown() {
        RunOverlay run = overlay.get();
        int labelled = 0;
        int runCorrect = 0;
        int zeroShotCorrect = 0;
        for (GalleryItem item : items) {
            if (item.hasLabel()) {
                labelled++;
                runCorrect += isCorrect(item) ? 1 : 0;
                zeroShotCorrect += item.isMistake() ? 0 : 1;
            }
        }
        if (run == null || labelled == 0) {
            return zeroShotEvaluation;
        }
        // The run is named in the Show box above; its long id would push the line out of a narrow gallery.
        return String.format(Locale.ROOT, "Accuracy %.1f%% (%d of %d) with the shown run's labels, %.1f%% zero-shot",
                100.0 * runCorrect / labelled, runCorrect, labelled, 100.0 * zeroShotCorrect / labelled);
    }

    private static String describeEvaluation(ZeroShotRun run) {
        if (!run.unmatchedFolders().isEmpty()) {
            return "No accuracy: the subfolders " + String.join(", ", run.unmatchedFolders())
                    + " match no class of the list";
        }
        if (run.evaluation().isEmpty()) {
            return "";
        }
        Evaluation evaluation = run.evaluation().get();
        return String.format(Locale.ROOT, "Accuracy %.1f%% (%d of %d, labels from the class subfolders)",
                100 * evaluation.accuracy(), evaluation.correct(), evaluation.total());
    }
}
