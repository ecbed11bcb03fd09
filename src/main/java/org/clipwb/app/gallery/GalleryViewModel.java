package org.clipwb.app.gallery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.zeroshot.Evaluation;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * The gallery's state on the FX thread: the images of the latest result, the sort order and filters (predicted class,
 * confidence range, mistakes only), the visible images, the selection and the run's summary. Plain observable state
 * (no controls), so it is tested without a window.
 */
public final class GalleryViewModel {
    private static final String ALL_CLASSES = "All classes";

    private final ObservableList<GalleryItem> items = FXCollections.observableArrayList();
    private final FilteredList<GalleryItem> filtered = new FilteredList<>(items);
    private final SortedList<GalleryItem> visible = new SortedList<>(filtered);
    private final ObjectProperty<GallerySort> sort = new SimpleObjectProperty<>(this, "sort", GallerySort.FILE_NAME);
    private final ObservableList<ClassFilter> classFilters = FXCollections.observableArrayList(
            new ClassFilter(ClassFilter.ALL, ALL_CLASSES, 0));
    private final ObjectProperty<ClassFilter> classFilter = new SimpleObjectProperty<>(this, "classFilter",
            classFilters.get(0));
    private final DoubleProperty minConfidence = new SimpleDoubleProperty(this, "minConfidence", 0);
    private final DoubleProperty maxConfidence = new SimpleDoubleProperty(this, "maxConfidence", 1);
    private final BooleanProperty onlyMistakes = new SimpleBooleanProperty(this, "onlyMistakes");
    private final ReadOnlyBooleanWrapper labelled = new ReadOnlyBooleanWrapper(this, "labelled");
    private final ObjectProperty<GalleryItem> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyStringWrapper evaluationText = new ReadOnlyStringWrapper(this, "evaluationText", "");
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
                maxConfidence, onlyMistakes));
        visible.comparatorProperty().bind(Bindings.createObjectBinding(() -> sort.get().comparator(), sort));
    }

    /** Shows a run's images and summary, keeping the filters and the selection where they still apply. */
    public void show(ZeroShotResult result) {
        ZeroShotRun run = result.run();
        show(GalleryItem.of(run), run.classes().names());
        evaluationText.set(describeEvaluation(run));
        problems.setAll(result.problems());
    }

    /** Shows these images of a run over {@code classNames}, keeping the filters and the selection where they apply. */
    public void show(List<GalleryItem> newItems, List<String> classNames) {
        String filteredClass = classFilter.get() == null || classFilter.get().classIndex() == ClassFilter.ALL
                ? null : classFilter.get().name();
        Path selectedPath = selected.get() == null ? null : selected.get().path();
        items.setAll(newItems);
        List<ClassFilter> filters = new ArrayList<>();
        filters.add(new ClassFilter(ClassFilter.ALL, ALL_CLASSES, newItems.size()));
        int[] counts = new int[classNames.size()];
        newItems.forEach(item -> counts[item.predicted()]++);
        for (int c = 0; c < classNames.size(); c++) {
            filters.add(new ClassFilter(c, classNames.get(c), counts[c]));
        }
        classFilters.setAll(filters);
        classFilter.set(filters.stream().filter(f -> f.classIndex() != ClassFilter.ALL && f.name().equals(filteredClass))
                .findFirst().orElse(filters.get(0)));
        labelled.set(newItems.stream().anyMatch(GalleryItem::hasLabel));
        if (!labelled.get()) {
            onlyMistakes.set(false);
        }
        selected.set(newItems.stream().filter(item -> item.path().equals(selectedPath)).findFirst().orElse(null));
    }

    /** Shows every image again: all classes, the full confidence range, mistakes or not. */
    public void clearFilters() {
        classFilter.set(classFilters.get(0));
        minConfidence.set(0);
        maxConfidence.set(1);
        onlyMistakes.set(false);
    }

    /** Selects the visible image {@code delta} places after the selected one (the first when none is). */
    public void selectRelative(int delta) {
        if (visible.isEmpty()) {
            return;
        }
        int index = visible.indexOf(selected.get());
        int next = index < 0 ? 0 : Math.max(0, Math.min(visible.size() - 1, index + delta));
        selected.set(visible.get(next));
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
        return item -> (byClass == null || byClass.accepts(item)) && item.confidence() >= low
                && item.confidence() <= high && (!mistakes || item.isMistake());
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
