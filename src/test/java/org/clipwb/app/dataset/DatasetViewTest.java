package org.clipwb.app.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.ZeroShotRun;
import org.clipwb.testing.DemoRunFixture;
import org.clipwb.testing.DemoRunViewTest;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The dataset views, headless, on a small draw of shapes-shifted classified by the demo model, with a short real LLU
 * run for the run-dependent colourings.
 */
class DatasetViewTest extends DemoRunViewTest {
    private DatasetViewModel viewModel;

    private void show(Parent root) throws Exception {
        FxToolkit.setupStage(stage -> {
            stage.setScene(new Scene(root, 640, 560));
            stage.show();
        });
    }

    private static <T> T fx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private void waitForMap(String descriptionStart) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !viewModel.mapBusyProperty().get()
                && viewModel.mapPointsProperty().get() != null
                && viewModel.mapPointsProperty().get().description().startsWith(descriptionStart));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void waitForSummary() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> viewModel.summaryProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theThresholdShowsCoverageAndTheAccuracyOfWhatPasses() throws Exception {
        DatasetView[] view = new DatasetView[1];
        interact(() -> view[0] = new DatasetView(context));
        viewModel = view[0].viewModel();
        show((Parent) view[0].node());
        waitForSummary();
        ZeroShotRun run = fixture.zeroShot().run();
        int n = run.predictions().size();
        for (double threshold : new double[] {0.5, 0.9}) {
            interact(() -> viewModel.thresholdProperty().set(threshold));
            int passing = 0;
            int right = 0;
            for (int i = 0; i < n; i++) {
                Prediction p = run.predictions().get(i);
                if (p.confidence() >= (float) threshold) {
                    passing++;
                    right += p.predicted() == run.labels()[i] ? 1 : 0;
                }
            }
            String expected = String.format(Locale.ROOT, "Confidence ≥ %.2f: %d of %d images pass (%.1f%%)",
                    threshold, passing, n, 100.0 * passing / n) + (passing == 0
                            ? "; none of them has an evaluation label."
                            : String.format(Locale.ROOT, "; %.1f%% of the labels that pass are right.",
                                    100.0 * right / passing));
            assertEquals(expected, lookup("#confidence-coverage").queryAs(Label.class).getText());
        }
        DatasetViewModel.Summary summary = viewModel.summaryProperty().get();
        assertEquals(n, summary.confusion().orElseThrow().total(), "every image of the draw has a label");
        assertEquals(run.evaluation().orElseThrow().accuracy(), summary.confusion().get().accuracy(), 1e-9);
        assertEquals(n, summary.reliability().orElseThrow().counted());
        int predictedTotal = 0;
        for (int count : summary.classCounts().predicted()) {
            predictedTotal += count;
        }
        assertEquals(n, predictedTotal);
        assertFalse(summary.classCounts().kept().isPresent(), "zero-shot keeps nothing");
        assertEquals(DemoRunFixture.IMAGES_PER_CLASS, summary.classCounts().labeled().orElseThrow()[0]);
        for (String tab : List.of("classes", "reliability", "confusion", "map")) {
            clickOn(lookup(".tab").match(node -> node.getId() != null && node.getId().equals("dataset-tab-" + tab))
                    .queryAs(Node.class));
        }
        assertTrue(lookup("#embedding-map").tryQuery().isPresent());
    }

    @Test
    void theMapProjectsEveryImageOpensTheClickedOneAndLassoesASelection() throws Exception {
        EmbeddingMapView[] map = new EmbeddingMapView[1];
        interact(() -> {
            viewModel = new DatasetViewModel(context, new AnalysisSource());
            map[0] = new EmbeddingMapView(viewModel);
        });
        show(map[0].node());
        waitForSummary();
        waitForMap("PCA of");
        int n = fixture.zeroShot().run().predictions().size();
        MapPoints points = viewModel.mapPointsProperty().get();
        assertEquals(n, points.size());
        assertEquals(Set.of(MapColouring.CLASS, MapColouring.CONFIDENCE), viewModel.availableColourings());

        List<Integer> opened = new ArrayList<>();
        List<List<Integer>> lassoed = new ArrayList<>();
        interact(() -> {
            viewModel.setOnOpenImage(opened::add);
            viewModel.setOnSelectImages(lassoed::add);
        });
        int k = 5;
        Point2D target = fx(() -> map[0].pointOnScreen(k));
        clickOn(target, MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, opened.size());
        GalleryItem selected = context.selectedImageProperty().get();
        assertEquals(opened.get(0), selected.index());
        Point2D clicked = fx(() -> map[0].pointOnScreen(opened.get(0)));
        assertTrue(clicked.distance(target) < 9, "the clicked point or one drawn on top of it");

        Bounds canvas = lookup("#embedding-map").query().localToScreen(lookup("#embedding-map").query()
                .getBoundsInLocal());
        drag(new Point2D(canvas.getMinX() + 2, canvas.getMinY() + 2), MouseButton.PRIMARY)
                .moveTo(new Point2D(canvas.getMaxX() - 2, canvas.getMinY() + 2))
                .moveTo(new Point2D(canvas.getMaxX() - 2, canvas.getMaxY() - 2))
                .moveTo(new Point2D(canvas.getMinX() + 2, canvas.getMaxY() - 2)).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, lassoed.size());
        assertEquals(n, lassoed.get(0).size(), "a lasso around the whole map selects every image");
        assertEquals(n, context.selectedImages().size());

        interact(() -> viewModel.projectionProperty().set(MapProjection.TSNE));
        waitForMap("t-SNE");
        assertEquals(n, viewModel.mapPointsProperty().get().size(), "a small draw is mapped whole");
        interact(() -> {
            viewModel.projectionProperty().set(MapProjection.PCA);
            viewModel.projectionProperty().set(MapProjection.TSNE);
            viewModel.cancelMap();
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !viewModel.mapBusyProperty().get());
        assertEquals("Map computation cancelled.", viewModel.mapStatusProperty().get());
    }

    @Test
    void anLluRunAddsItsKeptCountsAndColoursTheMapByAlpha() throws Exception {
        EmbeddingMapView[] map = new EmbeddingMapView[1];
        interact(() -> {
            viewModel = new DatasetViewModel(context, new AnalysisSource());
            map[0] = new EmbeddingMapView(viewModel);
        });
        show(map[0].node());
        waitForMap("PCA of");
        interact(() -> context.selectedRunProperty().set(fixture.run()));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> viewModel.summaryProperty().get() != null
                && viewModel.summaryProperty().get().analysis().run().isPresent());
        waitForMap("PCA of");
        DatasetViewModel.Summary summary = viewModel.summaryProperty().get();
        assertTrue(viewModel.availableColourings().contains(MapColouring.LLU_ALPHA));
        assertFalse(viewModel.availableColourings().contains(MapColouring.CLEAN), "no CoFT verdicts in an LLU run");
        ChoiceBox<?> colourChoice = lookup("#map-colouring").queryAs(ChoiceBox.class);
        assertTrue(fx(() -> colourChoice.getItems().contains(MapColouring.LLU_ALPHA)));
        double[] alpha = viewModel.colourValues(MapColouring.LLU_ALPHA);
        double largest = 0;
        for (double value : alpha) {
            assertTrue(value > 0 && value <= 1 + 1e-9, "α relative to the largest: " + value);
            largest = Math.max(largest, value);
        }
        assertEquals(1, largest, 1e-9);
        assertTrue(summary.classCounts().kept().isPresent(), "the run's last phase says what it kept");

        interact(() -> viewModel.colouringProperty().set(MapColouring.LLU_ALPHA));
        interact(() -> context.selectedRunProperty().set(null));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> viewModel.summaryProperty().get().analysis().run()
                .isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(MapColouring.CLASS, viewModel.colouringProperty().get(), "zero-shot has no α to colour by");
        assertFalse(fx(() -> colourChoice.getItems().contains(MapColouring.LLU_ALPHA)));
    }
}
