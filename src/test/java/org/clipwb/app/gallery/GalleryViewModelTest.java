package org.clipwb.app.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.zeroshot.Prediction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GalleryViewModelTest {
    private static final List<String> CLASSES = List.of("cat", "dog", "bird");

    private final GalleryViewModel model = new GalleryViewModel();

    @BeforeEach
    void showFiveImages() {
        model.show(List.of(
                item("a.jpg", 0, 0.7f, 0.2f, 0.1f),     // cat, right, margin 0.5
                item("b.jpg", 1, 0.4f, 0.35f, 0.25f),   // cat, wrong, margin 0.05
                item("c.jpg", 1, 0.1f, 0.85f, 0.05f),   // dog, right, margin 0.75
                item("d.jpg", 0, 0.2f, 0.3f, 0.5f),     // bird, wrong, margin 0.2
                item("E.jpg", 1, 0.05f, 0.9f, 0.05f)),  // dog, right, margin 0.85
                CLASSES);
    }

    @Test
    void everySortOrdersTheVisibleImages() {
        assertEquals(List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg", "E.jpg"), visibleNames(), "file name, ignoring case");
        model.sortProperty().set(GallerySort.CONFIDENCE_HIGH_FIRST);
        assertEquals(List.of("E.jpg", "c.jpg", "a.jpg", "d.jpg", "b.jpg"), visibleNames());
        model.sortProperty().set(GallerySort.CONFIDENCE_LOW_FIRST);
        assertEquals(List.of("b.jpg", "d.jpg", "a.jpg", "c.jpg", "E.jpg"), visibleNames());
        model.sortProperty().set(GallerySort.MARGIN_LOW_FIRST);
        assertEquals(List.of("b.jpg", "d.jpg", "a.jpg", "c.jpg", "E.jpg"), visibleNames());
        model.sortProperty().set(GallerySort.MARGIN_HIGH_FIRST);
        assertEquals(List.of("E.jpg", "c.jpg", "a.jpg", "d.jpg", "b.jpg"), visibleNames());
        model.sortProperty().set(GallerySort.PREDICTED_CLASS);
        assertEquals(List.of("a.jpg", "b.jpg", "E.jpg", "c.jpg", "d.jpg"), visibleNames(),
                "class-list order, most confident first within a class");
    }

    @Test
    void classFilterListsEachClassWithItsCountAndFilters() {
        assertEquals(List.of("All classes (5)", "cat (2)", "dog (2)", "bird (1)"),
                model.classFilters().stream().map(ClassFilter::toString).toList());
        assertEquals("Showing 5 of 5 images", model.countTextProperty().get());
        model.classFilterProperty().set(model.classFilters().get(2));
        assertEquals(List.of("c.jpg", "E.jpg"), visibleNames());
        assertEquals("Showing 2 of 5 images", model.countTextProperty().get());
    }

    @Test
    void confidenceRangeKeepsImagesWithinBothBounds() {
        model.minConfidenceProperty().set(0.6);
        assertEquals(List.of("a.jpg", "c.jpg", "E.jpg"), visibleNames());
        model.maxConfidenceProperty().set(0.8);
        assertEquals(List.of("a.jpg"), visibleNames());
        assertEquals("Showing 1 of 5 images", model.countTextProperty().get());
        model.clearFilters();
        assertEquals(5, model.visibleItems().size());
    }

    @Test
    void onlyMistakesShowsPredictionsThatDisagreeWithTheLabel() {
        assertTrue(model.labelledProperty().get());
        model.onlyMistakesProperty().set(true);
        assertEquals(List.of("b.jpg", "d.jpg"), visibleNames());
        model.classFilterProperty().set(model.classFilters().get(1));
        assertEquals(List.of("b.jpg"), visibleNames(), "filters combine");
    }

    @Test
    void newResultsKeepTheClassFilterAndSelectionByName() {
        model.classFilterProperty().set(model.classFilters().get(2));
        model.selectedProperty().set(model.visibleItems().get(0));
        GalleryItem reclassified = item("c.jpg", 1, 0.2f, 0.8f, 0f);
        model.show(List.of(reclassified, item("a.jpg", 0, 0.1f, 0.6f, 0.3f)), CLASSES);
        assertEquals("dog (2)", model.classFilterProperty().get().toString());
        assertSame(reclassified, model.selectedProperty().get());
        model.show(List.of(item("a.jpg", 0, 0.9f, 0.1f)), List.of("cat", "dog"));
        assertNull(model.selectedProperty().get(), "the selected image is gone");
    }

    @Test
    void imagesWithoutLabelsTurnOffOnlyMistakes() {
        model.onlyMistakesProperty().set(true);
        model.show(List.of(item("x.jpg", -1, 0.3f, 0.7f)), List.of("cat", "dog"));
        assertFalse(model.labelledProperty().get());
        assertFalse(model.onlyMistakesProperty().get());
        assertEquals(List.of("x.jpg"), visibleNames());
        assertFalse(model.visibleItems().get(0).isMistake());
    }

    @Test
    void selectRelativeMovesThroughVisibleImagesWithinBounds() {
        model.selectRelative(1);
        assertEquals("a.jpg", model.selectedProperty().get().fileName(), "nothing selected: the first");
        model.selectRelative(3);
        assertEquals("d.jpg", model.selectedProperty().get().fileName());
        model.selectRelative(10);
        assertEquals("E.jpg", model.selectedProperty().get().fileName());
        model.selectRelative(-1);
        assertEquals("d.jpg", model.selectedProperty().get().fileName());
    }

    @Test
    void emptyGallerySaysSo() {
        model.show(List.of(), CLASSES);
        assertEquals("No images yet", model.countTextProperty().get());
    }

    private List<String> visibleNames() {
        return model.visibleItems().stream().map(GalleryItem::fileName).toList();
    }

    private static GalleryItem item(String name, int label, float... probabilities) {
        List<String> classes = probabilities.length == CLASSES.size() ? CLASSES
                : CLASSES.subList(0, probabilities.length);
        return new GalleryItem(0, Path.of("/photos", name), name, new Prediction(probabilities), classes, label);
    }
}
