package org.clipwb.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.DescriptionSources;
import org.clipwb.core.adapt.ProgressLog;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunCharts;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.testing.DemoWorkbench;
import org.controlsfx.control.PropertySheet;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Training tab, headless, on a 32-image draw of fills-shifted with the demo model: a short self-training run on
 * cached embeddings with live charts, pause and resume, cancel and resume after the window was reopened.
 */
class TrainingViewTest extends FxRobot {
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    Path dir;

    private DemoWorkbench workbench;
    private TrainingView view;

    @BeforeAll
    static void registerStage() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void open() throws Exception {
        workbench = DemoWorkbench.open(dir, 8);
        view = mount(new TrainingView(workbench.context));
    }

    @AfterEach
    void close() throws Exception {
        fx(() -> {
            view.model().close();
            return null;
        });
        FxToolkit.cleanupStages();
        workbench.close();
    }

    @Test
    void theSettingsSheetFollowsTheMethodAndPhase() throws Exception {
        TrainingViewModel model = view.model();
        fx(() -> {
            model.methodProperty().set(AdaptationMethods.create("llu").info());
            return null;
        });
        PropertySheet sheet = lookup("#settingsSheet").queryAs(PropertySheet.class);
        int all = fx(() -> sheet.getItems().size());
        assertEquals(AdaptationMethods.create("llu").info().settings().size(), all);
        javafx.scene.control.ComboBox<?> phases = lookup("#phase").queryComboBox();
        assertEquals(1 + AdaptationMethods.create("llu").info().phases().size(), fx(() -> phases.getItems().size()),
                "run every phase, or pause after one of them");
        SettingItem k = fx(() -> model.settings().stream().filter(i -> i.getName().equals("labels.k")).findFirst()
                .orElseThrow());
        int defaultK = AdaptationMethods.create("llu").info().defaults().integer("labels.k");
        assertTrue(k.getDescription().contains("Default: " + defaultK), k.getDescription());
        fx(() -> {
            k.setValue(0);
            return null;
        });
        assertFalse(k.problemProperty().get().isEmpty(), "0 is below the setting's range");
        assertEquals(defaultK, k.getValue());
        fx(() -> {
            k.setValue(3);
            return null;
        });
        assertTrue(k.isChanged());
        clickOn("#resetSettings");
        assertFalse(fx(k::isChanged));
        assertTrue(text("#memoryEstimate").startsWith("Memory: about "), text("#memoryEstimate"));
    }

    @Test
    void aShortRunDrawsLiveChartsOnTheFxThreadAndIsRecorded() throws Exception {
        TrainingViewModel model = view.model();
        AtomicBoolean offFxThread = new AtomicBoolean();
        AtomicBoolean changed = new AtomicBoolean();
        fx(() -> {
            for (RunCharts.Kind kind : RunCharts.Kind.values()) {
                model.charts().chart(kind).addChangeListener(event -> {
                    changed.set(true);
                    if (!Platform.isFxApplicationThread()) {
                        offFxThread.set(true);
                    }
                });
            }
            choose(model, "train.epochs=20");
            return null;
        });
        clickOn("#start");
        awaitState(model, TrainingViewModel.State.DONE);
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());
        assertTrue(changed.get(), "the charts changed");
        assertFalse(offFxThread.get(), "charts are touched on the FX thread only");
        assertTrue(fx(() -> model.charts().valueCount(RunCharts.Kind.LOSS)) >= 20, "a loss point per epoch at least");
        assertTrue(fx(() -> model.charts().valueCount(RunCharts.Kind.ACCURACY)) > 0, "the sample has class folders");
        assertEquals(4, lookup(node -> node instanceof ChartViewer).queryAll().size());
        RunRecord run = fx(() -> model.runProperty().get());
        assertEquals(RunRecord.Status.DONE, run.status());
        assertEquals("20", run.settings().get("train.epochs"));
        assertTrue(fx(() -> String.join("\n", model.log())).contains("Done · accuracy "), fx(() -> model.log().toString()));
        assertTrue(fx(() -> workbench.context.runs().stream().anyMatch(r -> r.id().equals(run.id()))));
        assertEquals(ProgressLog.read(workbench.context.catalog().runDirectory(run.id())).size(),
                (long) fx(() -> model.charts().pointCount()), "every reported step reached the charts");
    }

    @Test
    void pauseAndResumeOrCancelAndReopenEndAsAnUninterruptedRun() throws Exception {
        String[] settings = {"train.epochs=30", "train.batch-size=4", "labels.k=4"};
        TrainingViewModel model = view.model();
        fx(() -> choose(model, settings));
        fx(() -> {
            model.start();
            return null;
        });
        awaitState(model, TrainingViewModel.State.DONE);
        RunRecord straight = fx(() -> model.runProperty().get());

        // Pause after the pseudo-labels (as the training phase starts), check that nothing moves, resume.
        fx(() -> choose(model, settings));
        fx(() -> {
            model.pauseAfterProperty().set(model.methodProperty().get().phases().get(0));
            return null;
        });
        clickOn("#start");
        awaitState(model, TrainingViewModel.State.PAUSED);
        Thread.sleep(300); // events reported before the pause took hold are drained
        long held = fx(() -> model.charts().pointCount());
        Thread.sleep(700);
        assertEquals(held, (long) fx(() -> model.charts().pointCount()), "a paused run reports nothing");
        assertTrue(held < 30 * 4, "paused before the end: " + held);
        assertEquals(RunRecord.Status.RUNNING, workbench.context.catalog().run(fx(() -> model.runProperty().get().id()))
                .orElseThrow().status());
        clickOn("#resume");
        awaitState(model, TrainingViewModel.State.DONE);
        assertSamePredictions(straight, fx(() -> model.runProperty().get()));

        // Cancel while paused, close the view, reopen it: the run is offered with its curves and resumes.
        fx(() -> choose(model, settings));
        fx(() -> {
            model.pauseAfterProperty().set(model.methodProperty().get().phases().get(0));
            model.start();
            return null;
        });
        awaitState(model, TrainingViewModel.State.PAUSED);
        clickOn("#cancel");
        awaitState(model, TrainingViewModel.State.CANCELLED);
        RunRecord cancelled = fx(() -> model.runProperty().get());
        assertEquals(RunRecord.Status.CANCELLED, workbench.context.catalog().run(cancelled.id()).orElseThrow().status());
        fx(() -> {
            view.model().close();
            return null;
        });
        FxToolkit.cleanupStages();
        view = mount(new TrainingView(workbench.context));
        TrainingViewModel reopened = view.model();
        assertEquals(cancelled.id(), fx(() -> reopened.runProperty().get().id()));
        assertEquals(TrainingViewModel.State.CANCELLED, fx(() -> reopened.stateProperty().get()));
        assertTrue(fx(() -> reopened.charts().pointCount()) > 0, "the curves so far are shown again");
        assertEquals("30", fx(() -> reopened.settings().stream().filter(i -> i.getName().equals("train.epochs"))
                .findFirst().orElseThrow().text()));
        clickOn("#resume");
        awaitState(reopened, TrainingViewModel.State.DONE);
        assertSamePredictions(straight, fx(() -> reopened.runProperty().get()));
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());
    }

    @Test
    void aShortCoftRunFineTunesTheImageEncoderWithLiveCharts() throws Exception {
        TrainingViewModel model = view.model();
        fx(() -> {
            return chooseMethod(model, "coft", "phase1.epochs=1", "phase2.epochs=1", "phase1.batch-size=16",
                    "phase2.batch-size=16", "labels.k=4", "phase1.warmup-epochs=0");
        });
        assertTrue(text("#memoryEstimate").contains("fine-tunes the image encoder"), text("#memoryEstimate"));
        clickOn("#start");
        awaitState(model, TrainingViewModel.State.DONE);
        assertTrue(fx(() -> model.charts().valueCount(RunCharts.Kind.LOSS)) > 0);
        RunRecord run = fx(() -> model.runProperty().get());
        assertEquals("coft", run.method());
        assertEquals(RunRecord.Status.DONE, run.status());
        assertTrue(run.metrics().containsKey("target.accuracy"));
    }

    @Test
    void aHeldOutFolderIsCheckedKeptWithTheProjectAndReported() throws Exception {
        TrainingViewModel model = view.model();
        fx(() -> choose(model, "train.epochs=5"));
        clickOn("#testImages").write(dir.resolve("missing").toString());
        awaitProblem("#testImagesProblem", "does not exist or is not a folder");
        assertTrue(lookup("#start").queryButton().isDisabled(), "no run with a missing held-out folder");

        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.copy(firstImage(), flat.resolve("one.jpg"));
        setText("#testImages", flat.toString());
        awaitProblem("#testImagesProblem", "has no class subfolders, so the run cannot measure its accuracy");

        ProjectFolder heldOut = new ProjectFolder(dir.resolve("held-out"));
        SampleProject.FILLS_SHIFTED.defaultVariant().withImagesPerClass(2).generate(heldOut.dir());
        setText("#testImages", heldOut.images().toString());
        awaitProblem("#testImagesProblem", "");
        assertFalse(lookup("#start").queryButton().isDisabled());
        assertEquals(heldOut.images().toString(), workbench.project.trainingInputs().testImages(), "kept");
        assertEquals(heldOut.images().toString(), workbench.context.catalog().settings()
                .get("training.test_images"), "in the project's catalog");

        clickOn("#start");
        awaitState(model, TrainingViewModel.State.DONE);
        RunRecord run = fx(() -> model.runProperty().get());
        assertEquals(heldOut.images().toAbsolutePath().toString(), run.inputs().get(RunRecord.INPUT_TEST_IMAGES));
        assertEquals(8.0, run.metrics().get("test.images"));
        assertTrue(run.metrics().containsKey("test.accuracy"), run.metrics().toString());
        assertFalse(run.inputs().containsKey(RunRecord.INPUT_DESCRIPTIONS), "self-training uses no descriptions");
        assertTrue(fx(() -> String.join("\n", model.log())).contains(String.format(java.util.Locale.ROOT,
                "held-out accuracy %.1f%%", 100 * run.metrics().get("test.accuracy"))));

        // The inputs belong to the project: a new Training view of it shows them again.
        fx(() -> {
            view.model().close();
            return null;
        });
        FxToolkit.cleanupStages();
        view = mount(new TrainingView(workbench.context));
        assertEquals(heldOut.images().toString(), fx(() -> lookup("#testImages").queryTextInputControl().getText()));
    }

    @Test
    void descriptionsAreAskedForByTheMethodsThatUseThemCheckedAndUsed() throws Exception {
        TrainingViewModel model = view.model();
        assertFalse(fx(() -> lookup("#descriptionsBox").query().isVisible()), "self-training uses none");
        fx(() -> chooseMethod(model, "coft+"));
        assertTrue(fx(() -> lookup("#descriptionsBox").query().isVisible()));
        awaitProblem("#descriptionsProblem", "CoFT+ needs descriptions: choose offline");
        assertTrue(lookup("#start").queryButton().isDisabled());
        fx(() -> {
            model.set("coftplus.classifier", "templates");
            return null;
        });
        assertFalse(fx(() -> lookup("#descriptionsBox").query().isVisible()), "templates only need no descriptions");
        fx(() -> {
            model.set("coftplus.classifier", "descriptions");
            return null;
        });

        clickOn("#descriptions .arrow-button").clickOn(DescriptionSources.OFFLINE);
        assertEquals(DescriptionSources.OFFLINE, fx(() -> model.descriptionsProperty().get()), "picked from the list");
        awaitProblem("#descriptionsProblem", "");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"classes\": {\"red\": [\"a red thing\"]\n");
        setText("#descriptions .text-field", broken.toString());
        awaitProblem("#descriptionsProblem", "line 2, column");
        setText("#descriptions .text-field", "ollama:");
        awaitProblem("#descriptionsProblem", "name the model the server should use");

        List<String> classes = ClassList.parse(workbench.project.settings().classList()).names();
        StringBuilder json = new StringBuilder("{\"classes\": {");
        for (int c = 0; c < classes.size(); c++) {
            json.append(c == 0 ? "" : ", ").append('"').append(classes.get(c)).append("\": [\"A photo of a ")
                    .append(classes.get(c)).append(".\", \"Something ").append(classes.get(c)).append(".\"]");
        }
        Path file = Files.writeString(dir.resolve("descriptions.json"), json.append("}}").toString());
        setText("#descriptions .text-field", file.toString());
        awaitProblem("#descriptionsProblem", "");
        assertEquals(file.toString(), workbench.project.trainingInputs().descriptions(), "kept with the project");

        // A CoFT+ run reads its class descriptions from the file; it pauses after describing and is cancelled.
        fx(() -> {
            model.pauseAfterProperty().set(model.methodProperty().get().phases().get(0));
            return null;
        });
        clickOn("#start");
        awaitState(model, TrainingViewModel.State.PAUSED);
        RunRecord run = fx(() -> model.runProperty().get());
        assertEquals(file.toString(), run.inputs().get(RunRecord.INPUT_DESCRIPTIONS));
        String described = "class descriptions by import " + file.toAbsolutePath().normalize();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> String.join("\n", model.log()))
                .contains(described)); // the run's messages reach the log at the next drain
        clickOn("#cancel");
        awaitState(model, TrainingViewModel.State.CANCELLED);
    }

    private void setText(String query, String text) throws Exception {
        fx(() -> {
            lookup(query).queryTextInputControl().setText(text);
            return null;
        });
    }

    private void awaitProblem(String query, String expected) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> view.model()
                .inputsCheckedProperty().get() && (expected.isEmpty() ? text(query).isEmpty()
                        : text(query).contains(expected))) || !workbench.errors.isEmpty());
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());
        assertTrue(expected.isEmpty() ? text(query).isEmpty() : text(query).contains(expected), text(query));
    }

    private Path firstImage() throws Exception {
        try (var files = Files.walk(Path.of(workbench.project.settings().images()))) {
            return files.filter(path -> path.toString().endsWith(".jpg")).findFirst().orElseThrow();
        }
    }

    private Void choose(TrainingViewModel model, String... settings) {
        return chooseMethod(model, "self-training", settings);
    }

    private Void chooseMethod(TrainingViewModel model, String method, String... settings) {
        model.methodProperty().set(AdaptationMethods.create(method).info());
        model.resetSettings();
        for (String setting : settings) {
            String[] keyValue = setting.split("=", 2);
            model.set(keyValue[0], keyValue[1]);
        }
        model.targetProperty().set(TrainingViewModel.Target.CPU);
        model.pauseAfterProperty().set(null);
        model.seedProperty().set(5);
        return null;
    }

    private void assertSamePredictions(RunRecord expected, RunRecord actual) throws Exception {
        ProjectCatalog catalog = workbench.context.catalog();
        assertEquals(RunRecord.Status.DONE, actual.status());
        List<ProjectCatalog.PredictionRow> a = catalog.predictions(expected.id(), "target");
        List<ProjectCatalog.PredictionRow> b = catalog.predictions(actual.id(), "target");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).path(), b.get(i).path());
            assertEquals(a.get(i).label(), b.get(i).label(), a.get(i).path());
            assertEquals(a.get(i).confidence(), b.get(i).confidence(), 1e-4, a.get(i).path());
        }
        assertEquals(expected.metrics().get("target.accuracy"), actual.metrics().get("target.accuracy"));
    }

    private void awaitState(TrainingViewModel model, TrainingViewModel.State state) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> model.stateProperty().get())
                == state || !workbench.errors.isEmpty());
        assertTrue(workbench.errors.isEmpty(), workbench.errors.toString());
        assertEquals(state, fx(() -> model.stateProperty().get()));
    }

    private void awaitPoints(TrainingViewModel model, long points) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> model.charts().pointCount())
                >= points || !workbench.errors.isEmpty());
    }

    private String text(String query) throws Exception {
        return fx(() -> lookup(query).queryLabeled().getText());
    }

    private static TrainingView mount(TrainingView view) throws Exception {
        FxToolkit.setupStage(stage -> {
            stage.setScene(new Scene((Parent) view.node(), 1200, 800));
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        return view;
    }

    private static <T> T fx(Callable<T> callable) throws Exception {
        return WaitForAsyncUtils.asyncFx(callable).get(30, TimeUnit.SECONDS);
    }
}
