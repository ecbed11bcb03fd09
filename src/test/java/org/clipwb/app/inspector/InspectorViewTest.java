package org.clipwb.app.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.analysis.RunInspection;
import org.clipwb.core.project.RunRecord;
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

    /** The nodes of a section that match {@code selector}, read from its content whether or not it was laid out. */
    private List<Node> inSection(String section, String selector) {
        return List.copyOf(lookup("#" + section).queryAs(TitledPane.class).getContent().lookupAll(selector));
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
        GridPane runs = (GridPane) inSection("inspector-history", "#inspector-runs").get(0);
        assertEquals(2 * 4, runs.getChildren().size(), "a header and the LLU run's final label");
        assertEquals(1, content.runLabels().size());
        assertEquals(fixture.run().id(), content.runLabels().get(0).run().id());

        assertEquals(InspectorViewModel.NEIGHBOURS, content.neighbours().indices().length);
        for (int k = 1; k < content.neighbours().similarities().length; k++) {
            assertTrue(content.neighbours().similarities()[k] <= content.neighbours().similarities()[k - 1]);
        }
        assertFalse(Arrays.stream(content.neighbours().indices()).anyMatch(i -> i == 4), "not itself");
        interact(() -> ((ScrollPane) view.node()).setVvalue(1)); // the neighbours are the last section
        String thumbnails = "#inspector-neighbour-thumbnails .inspector-thumbnail";
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> lookup(thumbnails).tryQuery().isPresent());
        Node firstNeighbour = lookup(thumbnails).query();
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
        assertEquals(alpha, ((ProgressBar) inSection("inspector-llu", "#inspector-alpha").get(0)).getProgress(), 1e-6);
        assertEquals(InspectorViewModel.ANCHORS, content.llu().orElseThrow().strongest().size());
        assertEquals(alpha, content.llu().get().strongest().get(0).weight(), 1e-5, "α is the strongest anchor's pull");
        List<Node> anchors = inSection("inspector-llu", ".inspector-anchor");
        assertEquals(InspectorViewModel.ANCHORS, anchors.size());
        for (Node anchor : anchors) {
            assertEquals(InspectorViewModel.IMAGES_PER_ANCHOR, ((Parent) anchor).getChildrenUnmodifiable().size());
        }

        GridPane history = (GridPane) inSection("inspector-history", "#inspector-phases").get(0);
        assertEquals(4 * (1 + phases.size()), history.getChildren().size(), "a header and one row per phase");
        assertEquals(List.of("labels", "fit"), content.phases().stream().map(step -> step.phase()).toList());
        assertEquals(fixture.zeroShot().run().predictions().get(2).predicted(), content.phases().get(0).label());

        String llu = "run " + fixture.run().id() + " (llu)";
        assertEquals(List.of(llu + " has no positive and negative prompt similarities: only CoFT and CoFT+ record "
                + "them, in their filtering phase."), emptyStates("inspector-prompts"));
        assertTrue(emptyStates("inspector-latte").get(0).startsWith(llu + " wrote no descriptions"));
        assertTrue(content.scoresSource().contains("adapted classifier"), content.scoresSource());
    }

    /**
     * A run that recorded CoFT's filtering verdicts and LatteCLIP's mixer weights (written here in the formats the
     * methods write them, since no fast method produces both): the prompts table and the mixer bars are shown.
     */
    @Test
    void recordedPromptSimilaritiesAndMixerWeightsAreShownSideBySide() throws Exception {
        int n = fixture.zeroShot().run().predictions().size();
        int classes = fixture.zeroShot().run().classes().size();
        float[][] positive = new float[n][classes];
        float[][] negative = new float[n][classes];
        float[][] mixer = new float[n][4];
        float[] clean = new float[n];
        float[] generator = new float[n];
        int[] labels = new int[n];
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                positive[i][c] = 0.1f * c;
                negative[i][c] = 0.05f * c;
            }
            mixer[i] = new float[] {0.4f, 0.3f, 0.2f, 0.1f};
            clean[i] = 0.7f;
            labels[i] = classes - 1;
            kept[i] = true;
        }
        Map<String, Tensor> extras = new LinkedHashMap<>();
        extras.put("coft.s_pos_a", Tensor.of(positive));
        extras.put("coft.s_neg_a", Tensor.of(negative));
        extras.put("coft.s_pos_b", Tensor.of(positive));
        extras.put("coft.s_neg_b", Tensor.of(negative));
        extras.put("coft.p_clean", Tensor.of(clean));
        extras.put("coft.generator", Tensor.of(generator));
        extras.put("coft.validator", Tensor.of(generator.clone()));
        extras.put(RunInspection.LATTE_MIXER, Tensor.of(mixer));
        RunRecord recorded = fixture.project().catalog().createRun("coft", 1, Map.of(), Map.of());
        new RunSignals(fixture.project().catalog().runDirectory(recorded.id())).save(new PhaseSignals("phase2", 1,
                labels, clean, kept, extras));
        interact(() -> {
            context.refreshRuns();
            context.selectedRunProperty().set(recorded);
        });
        InspectorContent content = showImage(1);
        RunInspection.CoftVerdict verdict = content.coft().orElseThrow();
        assertEquals(classes - 1, verdict.label());
        GridPane table = (GridPane) inSection("inspector-prompts", "#inspector-prompt-table").get(0);
        assertEquals(7 * (1 + classes), table.getChildren().size(), "a header and one row of 7 cells per class");
        Label retained = (Label) inSection("inspector-prompts", ".inspector-retained").get(0);
        assertEquals(content.className(classes - 1), retained.getText());
        assertTrue(lookup("#inspector-prompts").queryAs(TitledPane.class).getContent().lookupAll(".label").stream()
                .anyMatch(node -> ((Label) node).getText().startsWith("Kept as " + content.className(classes - 1)
                        + ": proposed by model A, validated by model A, p_clean 0.70")));
        GridPane weights = (GridPane) inSection("inspector-latte", "#inspector-mixer").get(0);
        assertEquals(3 * RunInspection.MIXER_TERMS.size(), weights.getChildren().size());
        assertEquals(0.4, weights.getChildren().stream().filter(node -> node instanceof ProgressBar)
                .mapToDouble(node -> ((ProgressBar) node).getProgress()).max().orElseThrow(), 1e-6,
                "each weight as its share of the four");
        assertTrue(emptyStates("inspector-llu").get(0).contains("has no mask α(x)"));
    }
}
