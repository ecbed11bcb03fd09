package org.clipwb.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clipwb.core.project.ProjectCatalog.PredictionRow;
import org.clipwb.core.project.ProjectCatalog.Shot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectCatalogTest {
    @TempDir
    Path temp;

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void openingCreatesTheProjectFolderAndItsCatalog() throws IOException {
        Path project = temp.resolve("new").resolve("project");
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            assertEquals(project, catalog.directory());
            assertEquals(project.resolve("runs").resolve("r1"), catalog.runDirectory("r1"));
            assertTrue(Files.isDirectory(project.resolve("runs")));
            assertTrue(Files.isRegularFile(project.resolve(ProjectCatalog.FILE)));
            assertEquals(Map.of(), catalog.settings());
            assertEquals(List.of(), catalog.shots());
            assertEquals(List.of(), catalog.runs());
        }
    }

    @Test
    void settingsAreUpsertedAndListedByKey() throws IOException {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            catalog.putSettings(ordered("model", "demo", "classes", "classes.txt"));
            catalog.putSettings(ordered("model", "openai/clip-vit-base-patch32", "templates", "ensemble"));
            assertEquals(ordered("classes", "classes.txt", "model", "openai/clip-vit-base-patch32", "templates",
                    "ensemble"), catalog.settings());
            assertEquals(List.of("classes", "model", "templates"), List.copyOf(catalog.settings().keySet()));
        }
    }

    @Test
    void shotsAreAddedCorrectedAndRemoved() throws IOException {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            catalog.putShot(new Shot("dogs/b.png", "dog", "shots.csv"));
            catalog.putShot(new Shot("a.png", "cat", "window"));
            catalog.putShot(new Shot("dogs/b.png", "wolf", "window"));
            assertEquals(List.of(new Shot("a.png", "cat", "window"), new Shot("dogs/b.png", "wolf", "window")),
                    catalog.shots());
            catalog.removeShot("a.png");
            catalog.removeShot("never-there.png");
            assertEquals(List.of(new Shot("dogs/b.png", "wolf", "window")), catalog.shots());
        }
    }

    @Test
    void aRunIsCreatedRunningWithItsInputs() throws IOException {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            Instant before = Instant.now();
            RunRecord run = catalog.createRun("tip adapter/f", 7, Map.of("labels.k", "16"),
                    Map.of(RunRecord.INPUT_MODEL, "demo", RunRecord.INPUT_IMAGES, "/photos"));
            assertTrue(run.id().matches("\\d{8}-\\d{6}-tip_adapter_f"), run.id());
            assertEquals(RunRecord.Status.RUNNING, run.status());
            assertTrue(!run.created().isBefore(before) && !run.created().isAfter(Instant.now()));
            assertEquals(Optional.empty(), run.finished());
            assertEquals(Optional.of(run), catalog.run(run.id()));
            assertEquals(Optional.empty(), catalog.run("no-such-run"));
        }
    }

    @Test
    void runIdsAreUniqueWithinOneSecond() throws IOException {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(catalog.createRun("llu", i, Map.of(), Map.of()).id());
            }
            assertEquals(5, new HashSet<>(ids).size(), ids.toString());
            assertEquals(ids, catalog.runs().stream().map(RunRecord::id).toList(), "oldest first");
        }
    }

    @Test
    void twoCatalogsCreatingRunsAtOnceNeverCollide() throws Exception {
        try (ProjectCatalog first = ProjectCatalog.open(temp); ProjectCatalog second = ProjectCatalog.open(temp)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (ProjectCatalog catalog : List.of(first, second)) {
                    Callable<List<String>> task = () -> {
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < 15; i++) {
                            ids.add(catalog.createRun("llu", i, Map.of(), Map.of()).id());
                        }
                        return ids;
                    };
                    results.add(pool.submit(task));
                }
                List<String> all = new ArrayList<>();
                for (Future<List<String>> result : results) {
                    all.addAll(result.get());
                }
                assertEquals(30, new HashSet<>(all).size(), all.toString());
                assertEquals(30, first.runs().size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void runsListOldestFirstWhateverTheWidthOfTheirTimestamps() throws Exception {
        Path file;
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            file = temp.resolve(ProjectCatalog.FILE);
        }
        // What createRun stores for runs created at these instants (Instant.toString drops zero fractions), the later
        // one inserted first.
        Instant early = Instant.parse("2026-03-01T10:00:00Z");
        Instant late = Instant.parse("2026-03-01T10:00:00.250Z");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            insertRun(connection, "late", late);
            insertRun(connection, "early", early);
        }
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            assertEquals(List.of("early", "late"), catalog.runs().stream().map(RunRecord::id).toList());
            assertEquals(late, catalog.run("late").orElseThrow().created());
        }
    }

    private static void insertRun(Connection connection, String id, Instant created) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (id, method, seed, status,"
                + " created, finished, settings, inputs, metrics, message) VALUES (?, 'llu', 1, 'DONE', ?, NULL, '{}',"
                + " '{}', '{}', '')")) {
            insert.setString(1, id);
            insert.setString(2, created.toString());
            insert.executeUpdate();
        }
    }

    @Test
    void updatesRecordTheEndAndAResumeClearsIt() throws IOException {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            RunRecord run = catalog.createRun("llu", 3, Map.of("train.epochs", "5"), Map.of("model", "demo"));
            Instant end = Instant.parse("2030-01-02T03:04:05.678Z");
            RunRecord failed = run.ended(RunRecord.Status.FAILED, end, Map.of("wall_seconds", 1.5), "out of memory");
            catalog.updateRun(failed);
            RunRecord read = catalog.run(run.id()).orElseThrow();
            assertEquals(failed, read);
            assertEquals(RunRecord.Status.FAILED, read.status());
            assertEquals(Optional.of(end), read.finished());
            assertEquals(Map.of("wall_seconds", 1.5), read.metrics());
            assertEquals("out of memory", read.message());
            assertEquals(Map.of("train.epochs", "5"), read.settings(), "settings are kept as created");
            assertEquals(run.created(), read.created());

            RunRecord resumed = read.resumed();
            assertEquals(RunRecord.Status.RUNNING, resumed.status());
            assertEquals(Optional.empty(), resumed.finished());
            assertEquals("", resumed.message());
            assertEquals(read.metrics(), resumed.metrics());
            catalog.updateRun(resumed);
            assertEquals(resumed, catalog.run(run.id()).orElseThrow());

            RunRecord done = resumed.ended(RunRecord.Status.DONE, end, Map.of("target.accuracy", 0.75,
                    "test.accuracy", Double.NaN), "");
            catalog.updateRun(done);
            Map<String, Double> metrics = catalog.run(run.id()).orElseThrow().metrics();
            assertEquals(0.75, metrics.get("target.accuracy"));
            assertTrue(metrics.get("test.accuracy").isNaN(), "NaN survives the JSON");
        }
    }

    @Test
    void predictionsAreReplacedPerRunAndSplit() throws IOException {
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            catalog.putPredictions("r1", "target", List.of(new PredictionRow("b.png", 1, 0.5f),
                    new PredictionRow("a.png", 0, 0.9f)));
            catalog.putPredictions("r1", "test", List.of(new PredictionRow("t.png", 2, 0.25f)));
            catalog.putPredictions("r2", "target", List.of(new PredictionRow("a.png", 1, 0.6f)));
            assertEquals(List.of(new PredictionRow("a.png", 0, 0.9f), new PredictionRow("b.png", 1, 0.5f)),
                    catalog.predictions("r1", "target"), "by path");
            catalog.putPredictions("r1", "target", List.of(new PredictionRow("c.png", 0, 0.125f)));
            assertEquals(List.of(new PredictionRow("c.png", 0, 0.125f)), catalog.predictions("r1", "target"));
            assertEquals(List.of(new PredictionRow("t.png", 2, 0.25f)), catalog.predictions("r1", "test"));
            assertEquals(List.of(new PredictionRow("a.png", 1, 0.6f)), catalog.predictions("r2", "target"));
            catalog.putPredictions("r1", "test", List.of());
            assertEquals(List.of(), catalog.predictions("r1", "test"));
        }
    }

    @Test
    void everythingSurvivesReopening() throws IOException {
        RunRecord run;
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            catalog.putSettings(Map.of("model", "demo"));
            catalog.putShot(new Shot("a.png", "cat", "csv"));
            run = catalog.createRun("llu", 1, Map.of("k", "v"), Map.of("images", "/x"));
            catalog.putPredictions(run.id(), "target", List.of(new PredictionRow("a.png", 0, 1f)));
        }
        try (ProjectCatalog catalog = ProjectCatalog.open(temp)) {
            assertEquals(Map.of("model", "demo"), catalog.settings());
            assertEquals(List.of(new Shot("a.png", "cat", "csv")), catalog.shots());
            assertEquals(List.of(run), catalog.runs());
            assertEquals(List.of(new PredictionRow("a.png", 0, 1f)), catalog.predictions(run.id(), "target"));
        }
    }

    @Test
    void twoConnectionsSeeEachOthersCommits() throws IOException {
        try (ProjectCatalog window = ProjectCatalog.open(temp); ProjectCatalog cli = ProjectCatalog.open(temp)) {
            window.putShot(new Shot("a.png", "cat", "window"));
            assertEquals(window.shots(), cli.shots());
            RunRecord run = cli.createRun("llu", 1, Map.of(), Map.of());
            assertEquals(Optional.of(run), window.run(run.id()));
            cli.updateRun(run.ended(RunRecord.Status.DONE, Instant.now(), Map.of(), ""));
            assertEquals(RunRecord.Status.DONE, window.run(run.id()).orElseThrow().status());
        }
    }

    @Test
    void aFileThatIsNotACatalogIsRefusedWithItsName() throws IOException {
        Files.writeString(temp.resolve(ProjectCatalog.FILE), "this is not a database, just some text ".repeat(40));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> ProjectCatalog.open(temp));
        assertTrue(e.getMessage().startsWith("Cannot open the project catalog " + temp.resolve(ProjectCatalog.FILE)),
                e.getMessage());
    }
}
