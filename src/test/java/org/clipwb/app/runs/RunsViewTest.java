package org.clipwb.app.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.clipwb.app.training.RunPreparation;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.zeroshot.RunRequest;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.project.LabelExport;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunComparison;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunLabels;
import org.clipwb.testing.DemoWorkbench;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Runs tab and the presentation, headless, on a 32-image draw of fills-shifted with the demo model: a zero-shot
 * run and a self-training run made by the engine, compared, exported and presented.
 */
class RunsViewTest extends FxRobot {
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    private DemoWorkbench workbench;
    private RunsView view;
    private RunRecord zeroShot;
    private RunRecord selfTraining;
    private final List<Path> opened = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void registerStage() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void open() throws Exception {
        workbench = DemoWorkbench.open(dir, 8);
        ProjectCatalog catalog = workbench.context.catalog();
        zeroShot = run(catalog, "zero-shot", Map.of());
        selfTraining = run(catalog, "self-training", Map.of("train.epochs", "10", "labels.k", "4"));
        view = fx(() -> {
            workbench.context.setFileOpener(opened::add);
            workbench.context.refreshRuns();
            return new RunsView(workbench.context);
        });
        FxToolkit.setupStage(stage -> {
            stage.setScene(new Scene((Parent) view.node(), 1200, 800));
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        workbench.close();
    }

    @Test
    void theHistoryListsEveryRunAndComparesOneWithZeroShot() throws Exception {
        TableView<?> table = lookup("#runsTable").queryTableView();
        assertEquals(2, fx(() -> table.getItems().size()), "zero-shot counts as a run");
        fx(() -> {
            table.getSelectionModel().select(1);
            return null;
        });
        clickOn("#compareWithZeroShot");
        RunsViewModel.Compared compared = awaitComparison();
        assertEquals(32, compared.comparison().compared());
        RunsViewModel.MetricRow accuracy = fx(() -> view.model().metrics().stream()
                .filter(row -> row.metric().equals("target.accuracy")).findFirst().orElseThrow());
        assertEquals(selfTraining.metrics().get("target.zero_shot_accuracy"), accuracy.a());
        assertEquals(selfTraining.metrics().get("target.accuracy"), accuracy.b());
        assertEquals(accuracy.a(), compared.comparison().accuracyA().getAsDouble(), 1e-9);
        assertEquals(accuracy.b(), compared.comparison().accuracyB().getAsDouble(), 1e-9);
        assertEquals(compared.comparison().changes().size(), fx(() -> lookup("#changesTable").queryTableView()
                .getItems().size()));
        assertTrue(fx(() -> lookup("#comparisonSummary").queryAs(Label.class).getText())
                .startsWith(compared.comparison().changes().size() + " of 32 images changed label"));

        // The zero-shot run and the zero-shot labels self-training started from are the same labels.
        fx(() -> {
            view.model().sourceAProperty().set(new LabelSource.RunSource(zeroShot, false));
            view.model().sourceBProperty().set(new LabelSource.RunSource(selfTraining, true));
            return null;
        });
        RunsViewModel.Compared same = awaitComparison();
        assertEquals(32, same.comparison().compared());
        assertEquals(List.of(), same.comparison().changes());
    }

    @Test
    void theProjectsZeroShotPredictionsAreARunToCompareWith() throws Exception {
        ZeroShotResult result = workbench.classifyZeroShot();
        LabelSource projectZeroShot = new LabelSource.ZeroShotSource(result);
        assertEquals(projectZeroShot, fx(() -> view.model().sources().get(0)), "offered first, beside the runs");
        assertEquals(5, fx(() -> view.model().sources().size()));

        // "Compare with zero-shot" now means the project's zero-shot predictions, what the gallery shows.
        fx(() -> {
            lookup("#runsTable").queryTableView().getSelectionModel().select(2); // after zero-shot's row
            return null;
        });
        clickOn("#compareWithZeroShot");
        RunsViewModel.Compared compared = awaitComparison();
        assertEquals(projectZeroShot, compared.a());
        assertEquals(new LabelSource.RunSource(selfTraining, false), compared.b());
        assertEquals(32, compared.comparison().compared());
        double zeroShotAccuracy = result.run().evaluation().orElseThrow().accuracy();
        RunsViewModel.MetricRow accuracy = metric("target.accuracy");
        assertEquals(zeroShotAccuracy, accuracy.a(), 1e-9);
        assertEquals(selfTraining.metrics().get("target.accuracy"), accuracy.b());
        assertEquals(zeroShotAccuracy, compared.comparison().accuracyA().getAsDouble(), 1e-9);
        assertEquals(32.0, metric("target.images").a());
        Map<String, Integer> finalLabels = RunLabels.finalLabels(workbench.context.catalog(), selfTraining.id());
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < result.run().predictions().size(); i++) {
            String path = result.run().images().entry(i).relativePath();
            if (result.run().predictions().get(i).predicted() != finalLabels.get(path)) {
                differing.add(path);
            }
        }
        assertFalse(differing.isEmpty(), "self-training moved some labels (seed 3)");
        assertEquals(differing, compared.comparison().changes().stream().map(RunComparison.Change::path).toList());
        assertEquals(differing.size(), fx(() -> lookup("#changesTable").queryTableView().getItems().size()));

        // Chosen in the window: zero-shot against the zero-shot method's run, the same classifier's labels.
        RunsViewModel.Compared same = choose(projectZeroShot, new LabelSource.RunSource(zeroShot, false));
        assertEquals(List.of(), same.comparison().changes());
        assertEquals(zeroShot.metrics().get("target.accuracy"), metric("target.accuracy").b(), 1e-9);
        assertEquals(zeroShotAccuracy, metric("target.accuracy").a(), 1e-9);
        assertTrue(fx(() -> lookup("#comparisonSummary").queryAs(Label.class).getText())
                .startsWith("0 of 32 images changed label"));

        // Zero-shot of another folder cannot be compared image by image, and the window says so.
        ZeroShotResult elsewhere = new ZeroShotResult(new RunRequest(dir.resolve("elsewhere"),
                result.request().modelSpec(), result.request().precision(), result.request().classes(),
                result.request().templates()), result.run(), false, result.elapsed());
        fx(() -> {
            view.model().sourceAProperty().set(new LabelSource.ZeroShotSource(elsewhere));
            return null;
        });
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !workbench.errors.isEmpty());
        assertTrue(workbench.errors.get(0).contains("choose two label sets of the same folder"),
                workbench.errors.toString());
    }

    @Test
    void zeroShotIsTheHistorysFirstRowWithItsAccuracyAndExportsItsLabels() throws Exception {
        ZeroShotResult result = workbench.classifyZeroShot();
        TableView<RunsViewModel.HistoryRow> table = lookup("#runsTable").queryTableView();
        assertEquals(3, fx(() -> table.getItems().size()), "zero-shot, then the two runs");
        assertEquals(List.of("—", "zero-shot", "current", "", "32",
                Styles.percent(result.run().evaluation().orElseThrow().accuracy()), "", ""),
                fx(() -> table.getColumns().subList(0, 8).stream().map(column -> (String) column.getCellData(0))
                        .toList()));
        assertEquals(zeroShot.id(), fx(() -> table.getColumns().get(0).getCellData(1)));
        assertEquals("32", fx(() -> table.getColumns().get(4).getCellData(2)), "a run's image count");

        clickOn(historyRow(0));
        assertEquals(Optional.empty(), fx(() -> view.model().selectedProperty().get().run()));
        for (String action : List.of("#compareWithZeroShot", "#exportModel", "#exportReport", "#present")) {
            assertTrue(fx(() -> lookup(action).queryButton().isDisabled()), action + " needs a run");
            assertTrue(tooltip(action).contains("ero-shot"), action + " says why: " + tooltip(action));
        }
        assertEquals("This row is zero-shot itself: choose a run to compare with it", tooltip("#compareWithZeroShot"));
        for (String action : List.of("#exportCsv", "#exportTree")) {
            assertFalse(fx(() -> lookup(action).queryButton().isDisabled()), action + " takes zero-shot's labels");
        }
        RunsViewModel model = view.model();
        Path csv = await(fx(() -> model.exportLabelsCsv(dir.resolve("zero-shot.csv"))));
        List<String> expected = new ArrayList<>(List.of("path,label,confidence"));
        List<String> classes = result.run().classes().names();
        for (int i = 0; i < result.run().predictions().size(); i++) {
            var prediction = result.run().predictions().get(i);
            expected.add(result.run().images().entry(i).relativePath() + "," + classes.get(prediction.predicted())
                    + "," + prediction.confidence());
        }
        assertEquals(expected, Files.readAllLines(csv).stream().map(line -> line.replace("\"", "")).toList(),
                "its predictions (the CSV writer may quote a cell)");
        Path tree = await(fx(() -> model.exportLabelTree(dir.resolve("zero-shot-tree"), LabelExport.TreeMode.COPY)));
        for (int i = 0; i < result.run().predictions().size(); i++) {
            Path image = Path.of(result.run().images().entry(i).relativePath());
            assertTrue(Files.isRegularFile(tree.resolve(classes.get(result.run().predictions().get(i).predicted()))
                    .resolve(image.getFileName())), image + " under its predicted class");
        }
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());

        // A finished run's row: every action applies, and the tooltips say what each does.
        clickOn(historyRow(2));
        assertEquals(Optional.of(selfTraining.id()), fx(() -> view.model().selectedProperty().get().run()
                .map(RunRecord::id)));
        for (String action : List.of("#compareWithZeroShot", "#exportCsv", "#exportTree", "#exportModel",
                "#exportReport", "#present")) {
            assertFalse(fx(() -> lookup(action).queryButton().isDisabled()), action);
        }
        assertTrue(tooltip("#exportCsv").startsWith("Each image's label"), tooltip("#exportCsv"));
        clickOn("#compareWithZeroShot");
        RunsViewModel.Compared compared = awaitComparison();
        assertEquals(new LabelSource.ZeroShotSource(result), compared.a());
    }

    @Test
    void exportsLabelsModelAndAReport() throws Exception {
        fx(() -> {
            lookup("#runsTable").queryTableView().getSelectionModel().select(1);
            return null;
        });
        RunsViewModel model = view.model();
        Path csv = await(fx(() -> model.exportLabelsCsv(dir.resolve("labels.csv"))));
        assertEquals(33, Files.readAllLines(csv).size());
        Path tree = await(fx(() -> model.exportLabelTree(dir.resolve("tree"), LabelExport.TreeMode.COPY)));
        try (var files = Files.walk(tree)) {
            assertEquals(32, files.filter(Files::isRegularFile).count());
        }
        Path exported = await(fx(() -> model.exportModel(dir.resolve("model"))));
        assertTrue(Files.isRegularFile(exported.resolve("classifier").resolve("head.json")));
        Path report = await(fx(() -> model.exportReport(dir.resolve("report.html"))));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(report), opened, "the report is opened once written");
        String html = Files.readString(report);
        assertTrue(html.contains("Run " + selfTraining.id()) && html.contains("Phase by phase")
                && html.contains("data:image/png;base64,"), "a self-contained report of the run");
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());
    }

    @Test
    void presentsARunPhaseByPhaseInLargeType() throws Exception {
        fx(() -> {
            lookup("#runsTable").queryTableView().getSelectionModel().select(1);
            return null;
        });
        clickOn("#present");
        TeachingViewModel teaching = view.teaching().model();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> teaching.slides().size()) > 0);
        assertEquals(List.of("Self-training on pseudo-labels (UPL-style)", "Zero-shot pseudo-labels", "Linear head",
                "Final labels"),
                fx(() -> teaching.slides().stream().map(TeachingViewModel.Slide::title).toList()));
        assertEquals(teaching.slides().get(0).title(), text("#slideTitle"));
        assertEquals("1 / 4", text("#slidePosition"));
        clickOn("#nextSlide");
        assertEquals("Zero-shot pseudo-labels", text("#slideTitle"));
        List<String> facts = fx(() -> teaching.slideProperty().get().facts());
        int kept = new org.clipwb.core.adapt.RunSignals(workbench.context.catalog().runDirectory(selfTraining.id()))
                .phases().get(0).keptCount();
        assertTrue(kept > 0 && kept <= 16, "at most 4 per predicted class");
        assertTrue(facts.get(0).startsWith("Kept " + kept + " of 32 labels to learn from, "), facts.toString());
        assertEquals(String.format(java.util.Locale.ROOT, "Accuracy %.1f%%",
                100 * selfTraining.metrics().get("target.zero_shot_accuracy")), facts.get(1));
        press(KeyCode.RIGHT).release(KeyCode.RIGHT);
        assertEquals("Linear head", text("#slideTitle"));
        clickOn("#nextSlide");
        assertEquals("Final labels", text("#slideTitle"));
        TeachingViewModel.Slide last = fx(() -> teaching.slideProperty().get());
        assertTrue(last.facts().get(last.facts().size() - 1).contains(String.format(java.util.Locale.ROOT, "→ %.1f%%",
                100 * selfTraining.metrics().get("target.accuracy"))), last.facts().toString());
        int flips = Integer.parseInt(last.facts().get(0).split(" ")[0]);
        assertEquals(Math.min(flips, TeachingViewModel.EXAMPLES), fx(() -> lookup("#slideExamples").queryAs(
                javafx.scene.layout.FlowPane.class).getChildren().size()));
        assertTrue(fx(() -> lookup("#nextSlide").queryButton().isDisabled()), "the last slide");
    }

    private RunRecord run(ProjectCatalog catalog, String method, Map<String, String> settings) throws Exception {
        RunRecord created = catalog.createRun(method, 3, settings, workbench.project.runInputs());
        AdaptationData data = RunPreparation.prepare(created, DemoWorkbench.demoClip(), catalog.directory(),
                status -> { });
        return AdaptationRunner.run(catalog, created, AdaptationMethods.create(method), data, ProgressListener.NONE,
                new Cancellation(), Device.cpu()).run();
    }

    /** Picks {@code a} and {@code b} in the comparison's lists, as a user does, and waits for the comparison. */
    private RunsViewModel.Compared choose(LabelSource a, LabelSource b) throws Exception {
        clickOn("#sourceA").clickOn(a.toString());
        clickOn("#sourceB").clickOn(b.toString());
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> {
            RunsViewModel.Compared compared = view.model().comparedProperty().get();
            return compared != null && compared.a().equals(a) && compared.b().equals(b);
        }) || !workbench.errors.isEmpty());
        return awaitComparison();
    }

    private RunsViewModel.MetricRow metric(String name) throws Exception {
        return fx(() -> view.model().metrics().stream().filter(row -> row.metric().equals(name)).findFirst()
                .orElseThrow());
    }

    private RunsViewModel.Compared awaitComparison() throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> view.model().comparedProperty()
                .get()) != null || !workbench.errors.isEmpty());
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());
        return fx(() -> view.model().comparedProperty().get());
    }

    private static <T> T await(Task<T> task) throws Exception {
        T value = task.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(value);
        return value;
    }

    /** The history table's row {@code index}, to click. */
    private Node historyRow(int index) {
        return lookup("#runsTable .table-row-cell").match(row -> ((TableRow<?>) row).getIndex() == index).query();
    }

    /** The tooltip of the holder of the action button {@code query}. */
    private String tooltip(String query) throws Exception {
        return fx(() -> lookup(query + "Holder").queryAs(Label.class).getTooltip().getText());
    }

    private String text(String query) throws Exception {
        return fx(() -> lookup(query).queryAs(Label.class).getText());
    }

    private static <T> T fx(Callable<T> callable) throws Exception {
        return WaitForAsyncUtils.asyncFx(callable).get(30, TimeUnit.SECONDS);
    }
}
