package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipwb adapt} and {@code clipwb runs} end to end on the tiny fixture model. */
class AdaptCommandTest {
    @TempDir
    Path temp;

    private final CliSession cli = new CliSession();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;
    private Path images;
    private Path classes;
    private Path project;

    @BeforeEach
    void setUp() throws IOException {
        images = temp.resolve("images");
        int i = 0;
        try (var files = Files.list(TestData.tinyClip().resolve("images"))) {
            for (Path file : files.sorted().toList()) {
                Path target = images.resolve(i++ % 2 == 0 ? "cat" : "dog").resolve(file.getFileName());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        classes = Files.writeString(temp.resolve("classes.txt"), "cat\ndog\n");
        project = temp.resolve("project");
    }

    @Test
    void adaptsRecordsTheRunAndItsExportReproducesThePredictions() throws Exception {
        Path predictions = temp.resolve("llu.csv");
        Path export = temp.resolve("export");
        assertEquals(0, run("adapt", "--method", "llu", "--model", model(), "--images", images.toString(),
                "--classes", classes.toString(), "--test-images", images.toString(), "--project", project.toString(),
                "--set", "train.epochs=3", "--set", "labels.k=2", "--out", predictions.toString(),
                "--test-out", temp.resolve("test.csv").toString(), "--export", export.toString()), err.toString());
        assertTrue(out.toString().contains("Accuracy on the folder (transductive)"), out.toString());
        assertTrue(out.toString().contains("Accuracy on --test-images (held out)"), out.toString());
        List<String> rows = Files.readAllLines(predictions);
        assertEquals("path,prediction,confidence,margin,cat,dog", rows.get(0));
        assertEquals(8, rows.size());

        RunRecord recorded;
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            recorded = catalog.runs().get(0);
            assertEquals(RunRecord.Status.DONE, recorded.status());
            assertEquals("3", recorded.settings().get("train.epochs"));
            assertEquals(7, catalog.predictions(recorded.id(), "target").size());
        }

        Path reproduced = temp.resolve("reproduced.csv");
        assertEquals(0, run("zero-shot", "--model", export.toString(), "--images", images.toString(), "--out",
                reproduced.toString()), err.toString());
        assertSamePredictions(rows, Files.readAllLines(reproduced));

        out.getBuffer().setLength(0);
        assertEquals(0, run("runs", "list", "--project", project.toString()));
        assertTrue(out.toString().contains(recorded.id()) && out.toString().contains("DONE"), out.toString());
        assertEquals(0, run("runs", "show", recorded.id(), "--project", project.toString()));
        assertTrue(out.toString().contains("train.epochs = 3"), out.toString());

        Path labels = temp.resolve("labels.csv");
        Path tree = temp.resolve("tree");
        assertEquals(0, run("runs", "export", recorded.id(), "--project", project.toString(), "--labels-csv",
                labels.toString(), "--labels-tree", tree.toString(), "--copy"), err.toString());
        assertEquals(8, Files.readAllLines(labels).size());
        try (var walk = Files.walk(tree)) {
            assertEquals(7, walk.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void aCancelledRunResumesFromTheCatalogWithItsRecordedInputs() throws Exception {
        String runId;
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            RunRecord created = catalog.createRun("llu", 4, java.util.Map.of("train.epochs", "2", "labels.k", "2"),
                    java.util.Map.of(RunRecord.INPUT_MODEL, model(), RunRecord.INPUT_IMAGES, images.toString(),
                            RunRecord.INPUT_CLASSES, classes.toString(), RunRecord.INPUT_TEMPLATES, "a photo of a {}."));
            catalog.updateRun(created.ended(RunRecord.Status.CANCELLED, java.time.Instant.now(), java.util.Map.of(),
                    "cancelled"));
            runId = created.id();
        }
        assertEquals(0, run("adapt", "--resume", runId, "--project", project.toString()), err.toString());
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            assertEquals(RunRecord.Status.DONE, catalog.run(runId).orElseThrow().status());
        }
    }

    @Test
    void usageErrorsAreOneLineWithStatus2() {
        assertEquals(2, run("adapt", "--method", "nope", "--images", images.toString(), "--classes",
                classes.toString(), "--project", project.toString()));
        assertTrue(err.toString().contains("unknown method 'nope'"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("adapt", "--method", "llu", "--images", images.toString(), "--classes",
                classes.toString(), "--set", "train.epoch=3", "--project", project.toString()));
        assertTrue(err.toString().contains("did you mean train.epochs?"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("adapt", "--method", "llu", "--project", project.toString()));
        assertTrue(err.toString().contains("--images"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("adapt", "--method", "coft+", "--images", images.toString(), "--classes",
                classes.toString(), "--descriptions", "nowhere.json", "--project", project.toString()));
        assertTrue(err.toString().contains("--descriptions: The descriptions source nowhere.json is neither offline"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("runs", "show", "missing", "--project", project.toString()));
    }

    @Test
    void listSettingsNamesEveryLluSettingWithItsDefault() {
        assertEquals(0, run("adapt", "--method", "llu", "--list-settings"));
        assertTrue(out.toString().contains("llu.gamma") && out.toString().contains("20.0"), out.toString());
    }

    /** Same labels; probabilities equal up to float rounding (the export's images are embedded anew). */
    private static void assertSamePredictions(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.get(0), actual.get(0));
        for (int i = 1; i < expected.size(); i++) {
            String[] want = expected.get(i).split(",");
            String[] got = actual.get(i).split(",");
            assertEquals(want[0], got[0]);
            assertEquals(want[1], got[1], "label of " + want[0]);
            for (int c = 2; c < want.length; c++) {
                assertEquals(Float.parseFloat(want[c]), Float.parseFloat(got[c]), 1e-5f, want[0]);
            }
        }
    }

    private String model() {
        return TestData.tinyClip().resolve("hf").toString();
    }

    private int run(String... args) {
        return cli.run(args);
    }
}
