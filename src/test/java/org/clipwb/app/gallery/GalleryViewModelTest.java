package org.clipwb.app.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
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
    void aLassoSelectsItsImagesWithTheFiltersCleared() {
        model.minConfidenceProperty().set(0.6);
        List<Integer> lassoed = model.allItems().stream().filter(item -> !item.fileName().equals("a.jpg")
                && !item.fileName().equals("c.jpg")).map(GalleryItem::index).toList();
        model.selectIndices(lassoed);
        assertEquals(5, model.visibleItems().size(), "the filters are cleared");
        assertEquals(List.of("b.jpg", "d.jpg", "E.jpg"), model.selection().stream().map(GalleryItem::fileName)
                .sorted(String.CASE_INSENSITIVE_ORDER).toList());
        assertEquals("b.jpg", model.selectedProperty().get().fileName(), "the first in gallery order has the focus");
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

    @Test
    void aRunOverlayShowsItsLabelsAndFiltersByCleanAgreementAndFlips() {
        // Zero-shot: a cat, b cat, c dog, d bird, E dog. The run: two phases, b and E flip in the second.
        PhaseSignals first = new PhaseSignals("pseudo-labels", 0, new int[] {0, 0, 1, 2, 1},
                new float[] {0.9f, 0.5f, 0.8f, 0.4f, 0.9f}, new boolean[] {true, false, true, false, true}, Map.of());
        float[] positiveA = {9, 0, 0, /* b */ 0, 9, 0, 0, 9, 0, 0, 0, 9, 9, 0, 0};
        float[] positiveB = {9, 0, 0, /* b */ 9, 0, 0, 0, 9, 0, 0, 0, 9, 9, 0, 0};
        PhaseSignals filter = new PhaseSignals("phase2", 1, new int[] {0, 1, 1, 2, 0},
                new float[] {0.95f, 0.3f, 0.9f, 0.2f, 0.7f}, new boolean[] {true, false, true, false, true},
                Map.of("coft.p_clean", Tensor.of(new float[] {0.95f, 0.3f, 0.9f, 0.2f, 0.7f}),
                        "coft.s_pos_a", new Tensor(positiveA, 5, 3), "coft.s_pos_b", new Tensor(positiveB, 5, 3)));
        model.overlayProperty().set(RunOverlay.of("run-1", List.of(first, filter)));

        GalleryItem b = model.visibleItems().get(1);
        assertEquals("dog", model.pseudoLabelName(b), "the run's final label, not zero-shot's cat");
        model.sortProperty().set(GallerySort.CONFIDENCE_LOW_FIRST);
        assertEquals(List.of("d.jpg", "b.jpg", "E.jpg", "c.jpg", "a.jpg"), visibleNames(), "by the run's confidence");
        model.sortProperty().set(GallerySort.FILE_NAME);
        assertEquals(0.3, model.confidence(b), 1e-6);
        assertFalse(model.isMistake(b), "b's folder label is dog");
        assertEquals(Boolean.FALSE, model.isClean(b));
        assertEquals("Accuracy 60.0% (3 of 5) with the shown run's labels, 60.0% zero-shot",
                model.evaluationTextProperty().get(), "a, b and c right with the run; a, c and E zero-shot");
        assertEquals(List.of("All classes (5)", "cat (2)", "dog (2)", "bird (1)"),
                model.classFilters().stream().map(ClassFilter::toString).toList(), "counted by the run's labels");

        model.cleanFilterProperty().set(SignalFilter.YES);
        assertEquals(List.of("a.jpg", "c.jpg", "E.jpg"), visibleNames());
        model.cleanFilterProperty().set(SignalFilter.NO);
        assertEquals(List.of("b.jpg", "d.jpg"), visibleNames());
        model.cleanFilterProperty().set(SignalFilter.ANY);
        model.agreementFilterProperty().set(SignalFilter.NO);
        assertEquals(List.of("b.jpg"), visibleNames(), "A says dog, B says cat");
        model.agreementFilterProperty().set(SignalFilter.ANY);
        model.flipFilterProperty().set(FlipFilter.BETWEEN_PHASES);
        assertEquals(List.of("b.jpg", "E.jpg"), visibleNames());
        model.flipFilterProperty().set(FlipFilter.FROM_ZERO_SHOT);
        assertEquals(List.of("b.jpg", "E.jpg"), visibleNames());
        model.flipFilterProperty().set(FlipFilter.FROM_COMPARED_RUN);
        assertEquals(List.of(), visibleNames(), "no run to compare with yet");
        model.comparedOverlayProperty().set(RunOverlay.of("run-0", List.of(first)));
        assertEquals(List.of("b.jpg", "E.jpg"), visibleNames());

        model.overlayProperty().set(null);
        model.clearFilters();
        assertEquals("cat", model.pseudoLabelName(b), "zero-shot again");
        assertEquals("", model.evaluationTextProperty().get(), "zero-shot's, which these images were not shown with");
        model.cleanFilterProperty().set(SignalFilter.YES);
        assertEquals(List.of(), visibleNames(), "zero-shot has no clean signal");
    }

    @Test
    void aRunWithoutSignalsIsAnError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RunOverlay.of("run-2", List.of()));
        assertTrue(error.getMessage().contains("when its first phase completes"), error.getMessage());
    }

    @Test
    void clicksSelectOneARangeOrToggle() {
        List<GalleryItem> shown = List.copyOf(model.visibleItems());
        model.click(shown.get(1), false, false);
        assertEquals(Set.of(shown.get(1)), model.selection());
        model.click(shown.get(3), true, false);
        assertEquals(Set.of(shown.get(1), shown.get(2), shown.get(3)), model.selection(), "Shift: the range");
        assertSame(shown.get(3), model.selectedProperty().get());
        model.click(shown.get(2), false, true);
        assertEquals(Set.of(shown.get(1), shown.get(3)), model.selection(), "Ctrl: toggled off");
        model.click(shown.get(0), false, true);
        assertEquals(Set.of(shown.get(0), shown.get(1), shown.get(3)), model.selection(), "Ctrl: toggled on");
        model.selectRelative(1, true);
        assertEquals(Set.of(shown.get(0), shown.get(1)), model.selection(), "Shift+arrow: from the anchor");
        model.selectAllVisible();
        assertEquals(5, model.selection().size());
        model.selectRelative(1);
        assertEquals(1, model.selection().size(), "a plain move selects one image again");
    }

    @Test
    void labeledShotsShowAndFilter() {
        model.putShots(Map.of(Path.of("/photos", "c.jpg"), "dog"));
        assertEquals("dog", model.shotLabel(model.visibleItems().get(2)));
        model.shotFilterProperty().set(SignalFilter.YES);
        assertEquals(List.of("c.jpg"), visibleNames());
        model.shotFilterProperty().set(SignalFilter.NO);
        assertEquals(4, model.visibleItems().size());
        model.removeShots(List.of(Path.of("/photos", "c.jpg")));
        assertEquals(5, model.visibleItems().size());
        assertEquals(null, model.shotLabel(model.visibleItems().get(2)));
    }

    private List<String> visibleNames() {
        return model.visibleItems().stream().map(GalleryItem::fileName).toList();
    }

    private static GalleryItem item(String name, int label, float... probabilities) {
        List<String> classes = probabilities.length == CLASSES.size() ? CLASSES
                : CLASSES.subList(0, probabilities.length);
        int index = Character.toLowerCase(name.charAt(0)) - 'a';
        return new GalleryItem(index, Path.of("/photos", name), name, new Prediction(probabilities), classes, label);
    }
}
