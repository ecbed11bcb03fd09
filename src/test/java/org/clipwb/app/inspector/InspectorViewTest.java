package org.clipwb.app.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import org.clipwb.app.gallery.GalleryItem;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.testing.DemoRunFixture;
import org.clipwb.testing.DemoRunViewTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The inspector, headless, on a small draw of shapes-shifted classified by the demo model, with a short real LLU run
 * so that α(x) and its anchors are real.
 */
class InspectorViewTest extends DemoRunViewTest {
    private InspectorView view;

    @BeforeEach
    void show() throws Exception {
        interact(() -> view = new InspectorView(context));
        FxToolkit.setupStage(stage -> {
            stage.setScene(new Scene((Parent) view.node(), 640, 720));
            stage.show();
        });
    }

    private GalleryItem item(int index) {
        return GalleryItem.of(fixture.zeroShot().run()).get(index);
    }

    private InspectorContent showImage(int index) throws Exception {
        interact(() -> context.selectedImageProperty().set(item(index)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.viewModel().contentProperty().get() != null
                && view.viewModel().contentProperty().get().index() == index);
        WaitForAsyncUtils.waitForFxEvents();
        return view.viewModel().contentProperty().get();
    }

    private List<String> emptyStates(String section) {
        return lookup("#" + section).queryAs(TitledPane.class).getContent().lookupAll(".empty-state").stream()
                .map(node -> ((Label) node).getText()).toList();
    }

    @Test
    void withoutARunItShowsZeroShotScoresNeighboursAndSaysWhatEachRunWouldAdd() throws Exception {
        assertEquals("Select an image in the gallery or on the embedding map to inspect it.",
                lookup("#inspector-status").queryAs(Label.class).getText());
        InspectorContent content = showImage(4);
        Prediction prediction = fixture.zeroShot().run().predictions().get(4);
        assertEquals("zero-shot", content.scoresSource());
        assertEquals(prediction.predicted(), content.topK().get(0).label());
        assertEquals(prediction.confidence(), content.topK().get(0).probability());
        GridPane topK = (GridPane) lookup("#inspector-topk").queryAs(TitledPane.class).getContent();
        assertEquals(3 * content.topK().size(), topK.getChildren().size(), "name, bar and percent per class");

        assertTrue(emptyStates("inspector-prompts").get(0).startsWith("Select a CoFT run"));
        assertTrue(emptyStates("inspector-llu").get(0).startsWith("Select an LLU run"));
        assertTrue(emptyStates("inspector-latte").get(0).startsWith("Select a LatteCLIP run"));
        assertTrue(emptyStates("inspector-history").get(0).startsWith("No run selected"));
        GridPane runs = lookup("#inspector-runs").queryAs(GridPane.class);
        assertEquals(2 * 4, runs.getChildren().size(), "a header and the LLU run's final label");
        assertEquals(1, content.runLabels().size());
        assertEquals(fixture.run().id(), content.runLabels().get(0).run().id());

        assertEquals(InspectorViewModel.NEIGHBOURS, content.neighbours().indices().length);
        for (int k = 1; k < content.neighbours().similarities().length; k++) {
            assertTrue(content.neighbours().similarities()[k] <= content.neighbours().similarities()[k - 1]);
        }
        assertFalse(Arrays.stream(content.neighbours().indices()).anyMatch(i -> i == 4), "not itself");
        interact(() -> ((ScrollPane) view.node()).setVvalue(1)); // the neighbours are the last section
        Node firstNeighbour = lookup("#inspector-neighbour-thumbnails .inspector-thumbnail").query();
        int neighbour = (Integer) firstNeighbour.getUserData();
        assertEquals(content.neighbours().indices()[0], neighbour);
        clickOn(firstNeighbour);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.viewModel().contentProperty().get() != null
                && view.viewModel().contentProperty().get().index() == neighbour);
        assertEquals(neighbour, context.selectedImageProperty().get().index(), "a click inspects the neighbour");
    }

    @Test
    void anLluRunShowsThePhasesAndTheRealMaskWithItsAnchors() throws Exception {
        interact(() -> context.selectedRunProperty().set(fixture.run()));
        InspectorContent content = showImage(2);
        List<PhaseSignals> phases = new RunSignals(fixture.project().catalog().runDirectory(fixture.run().id()))
                .phases();
        float alpha = phases.get(phases.size() - 1).extra("llu.alpha", 2).orElseThrow()[0];
        assertTrue(alpha > 0 && alpha <= 0.5 + 1e-6, "α = β · kernel, β = 0.5: " + alpha);
        assertEquals(alpha, lookup("#inspector-alpha").queryAs(ProgressBar.class).getProgress(), 1e-6);
        assertEquals(InspectorViewModel.ANCHORS, content.llu().orElseThrow().strongest().size());
        assertEquals(alpha, content.llu().get().strongest().get(0).weight(), 1e-5, "α is the strongest anchor's pull");
        assertEquals(InspectorViewModel.ANCHORS, lookup(".inspector-anchor").queryAll().size());
        for (Node anchor : lookup(".inspector-anchor").queryAll()) {
            assertEquals(InspectorViewModel.IMAGES_PER_ANCHOR, ((Parent) anchor).getChildrenUnmodifiable().size());
        }

        GridPane history = lookup("#inspector-phases").queryAs(GridPane.class);
        assertEquals(4 * (1 + phases.size()), history.getChildren().size(), "a header and one row per phase");
        assertEquals(List.of("labels", "fit"), content.phases().stream().map(step -> step.phase()).toList());
        assertEquals(fixture.zeroShot().run().predictions().get(2).predicted(), content.phases().get(0).label());

        String llu = "run " + fixture.run().id() + " (llu)";
        assertEquals(List.of(llu + " has no positive and negative prompt similarities: only CoFT and CoFT+ record "
                + "them, in their filtering phase."), emptyStates("inspector-prompts"));
        assertTrue(emptyStates("inspector-latte").get(0).startsWith(llu + " wrote no descriptions"));
        assertTrue(content.scoresSource().contains("adapted classifier"), content.scoresSource());
    }
}
