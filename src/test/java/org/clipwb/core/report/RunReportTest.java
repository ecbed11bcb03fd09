package org.clipwb.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.PhaseChanges;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.ProgressLog;
import org.clipwb.core.adapt.RunImages;
import org.clipwb.core.adapt.SyntheticData;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunComparison;
import org.clipwb.core.project.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A self-training run on synthetic embeddings, its recorded history, phase changes, comparison and HTML report. */
class RunReportTest {
    private static final AdaptationData DATA = SyntheticData.create(4, 16, 20, 0.55, 0.35, 11);

    @TempDir
    Path temp;

    @Test
    void aRunsReportHoldsItsSummaryCurvesPhasesAndSettings() throws Exception {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp.resolve("project"))) {
            RunRecord run = catalog.createRun("self-training", 3, Map.of("train.epochs", "4", "labels.k", "8",
                    "train.lr", "0.5"), Map.of(RunRecord.INPUT_IMAGES, "/photos & <friends>"));
            RunRecord done = AdaptationRunner.run(catalog, run, AdaptationMethods.create("self-training"), DATA,
                    ProgressListener.NONE, new Cancellation(), Device.cpu()).run();
            Path folder = catalog.runDirectory(run.id());

            RunImages images = RunImages.read(folder).orElseThrow();
            assertEquals(DATA.target().keys(), images.paths());
            assertArrayEquals(DATA.target().labels(), images.labels());
            List<ProgressLog.Point> history = ProgressLog.read(folder);
            assertFalse(history.isEmpty());
            assertEquals(history.size(), history.stream().map(p -> p.phase() + p.step()).distinct().count(),
                    "one point per step");
            assertTrue(history.stream().anyMatch(p -> p.accuracy().isPresent()));

            List<PhaseChanges.Step> steps = RunLabels.steps(catalog, done);
            assertEquals(List.of("labels", "train", PhaseChanges.FINAL), steps.stream().map(PhaseChanges.Step::phase)
                    .toList());
            assertEquals(32, steps.get(0).kept().getAsInt(), "8 per class of 4");
            assertTrue(steps.get(0).flips().isEmpty());
            assertEquals(done.metrics().get("target.accuracy"), steps.get(2).accuracy().getAsDouble(), 1e-9);
            assertEquals(done.metrics().get("target.zero_shot_accuracy"), steps.get(0).accuracy().getAsDouble(), 1e-9);

            Map<String, Integer> zeroShot = RunLabels.zeroShotLabels(catalog, run.id()).orElseThrow();
            RunComparison comparison = RunComparison.of(zeroShot, RunLabels.finalLabels(catalog, run.id()),
                    RunLabels.truth(catalog, run.id()));
            assertEquals(DATA.target().size(), comparison.compared());
            assertEquals(steps.get(1).flips().size() + steps.get(2).flips().size() > 0, !comparison.changes().isEmpty());
            assertEquals(comparison.accuracyB().getAsDouble() - comparison.accuracyA().getAsDouble(),
                    (comparison.fixedCount() - comparison.brokenCount()) / (double) comparison.compared(), 1e-9);

            Path out = temp.resolve("report.html");
            RunReport.write(catalog, done, out);
            String html = Files.readString(out);
            assertTrue(html.startsWith("<!DOCTYPE html>"));
            assertTrue(html.contains("Run " + run.id() + ": "), "title");
            assertTrue(html.contains("/photos &amp; &lt;friends&gt;"), "inputs are escaped");
            assertTrue(html.contains("<tr class=\"changed\"><td>train.epochs</td><td>4</td>"), "changed setting");
            assertTrue(html.contains("Zero-shot pseudo-labels") && html.contains("Final labels"), "phase titles");
            assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.2f%% (zero-shot %.2f%%",
                    100 * done.metrics().get("target.accuracy"), 100 * done.metrics().get("target.zero_shot_accuracy"))));
            Matcher images64 = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
            int charts = 0;
            while (images64.find()) {
                byte[] png = java.util.Base64.getDecoder().decode(images64.group(1));
                assertEquals((byte) 0x89, png[0]);
                assertEquals('P', png[1]);
                charts++;
            }
            assertEquals(3, charts, "loss, accuracy and learning rate (self-training estimates no clean fraction)");
            assertFalse(html.contains("src=\"http") || html.contains("href="), "self-contained");
        }
    }

    @Test
    void escapesEveryHtmlSpecialCharacter() {
        assertEquals("a&lt;b&gt;&amp;&quot;&#39;", RunReport.escape("a<b>&\"'"));
    }
}
