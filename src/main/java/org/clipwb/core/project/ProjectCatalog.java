package org.clipwb.core.project;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's catalog: an embedded SQLite database ({@code catalog.sqlite} in the project folder) that holds the
 * project's settings, the labeled shots the user vouched for, its runs and their predictions. Tensors (weights,
 * prompts, adapters, signals) sit beside it as safetensors files in each run's folder ({@code runs/<id>/}).
 * SQLite makes every change atomic; a second process sees a consistent catalog.
 */
public final class ProjectCatalog implements AutoCloseable {
    /** The catalog file in a project folder. */
    public static final String FILE = "catalog.sqlite";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Connection connection;

    private ProjectCatalog(Path directory, Connection connection) {
        this.directory = directory;
        this.connection = connection;
    }

    /** Opens the project in {@code directory}, creating the folder and its catalog when they do not exist. */
    public static ProjectCatalog open(Path directory) throws IOException {
        Files.createDirectories(directory.resolve("runs"));
        Path file = directory.resolve(FILE);
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA busy_timeout=10000");
                statement.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS shots (path TEXT PRIMARY KEY, label TEXT NOT NULL,"
                        + " source TEXT NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, method TEXT NOT NULL,"
                        + " seed INTEGER NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, finished TEXT,"
                        + " settings TEXT NOT NULL, inputs TEXT NOT NULL, metrics TEXT NOT NULL, message TEXT NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS predictions (run_id TEXT NOT NULL, split TEXT NOT NULL,"
                        + " path TEXT NOT NULL, label INTEGER NOT NULL, confidence REAL NOT NULL,"
                        + " PRIMARY KEY (run_id, split, path)) WITHOUT ROWID");
            }
            return new ProjectCatalog(directory, connection);
        } catch (SQLException e) {
            throw new IOException("Cannot open the project catalog " + file + ": " + e.getMessage()
                    + " (is it a workbench project folder? is another program holding it?)", e);
        }
    }

    /** The project folder. */
    public Path directory() {
        return directory;
    }

    /** The folder of a run's checkpoints, signals and classifier. */
    public Path runDirectory(String runId) {
        return directory.resolve("runs").resolve(runId);
    }

    // ---- settings ----

    /** The project's settings (image folder, classes, templates, model, ...). */
    public Map<String, String> settings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        query("SELECT key, value FROM settings ORDER BY key", statement -> { }, rows -> {
            while (rows.next()) {
                settings.put(rows.getString(1), rows.getString(2));
            }
        });
        return settings;
    }

    /** Sets (or replaces) project settings, all in one transaction. */
    public void putSettings(Map<String, String> values) throws IOException {
        transaction(() -> {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                update("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        entry.getKey(), entry.getValue());
            }
        });
    }

    // ---- labeled shots ----

    /** A label the user vouched for: an image and its class, and where the vouching came from. */
    public record Shot(String path, String label, String source) {
    }

    /** Adds or corrects a labeled shot. */
    public void putShot(Shot shot) throws IOException {
        transaction(() -> update("INSERT INTO shots (path, label, source) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE"
                + " SET label = excluded.label, source = excluded.source", shot.path(), shot.label(), shot.source()));
    }

    /** Removes a labeled shot; nothing happens when there is none for {@code path}. */
    public void removeShot(String path) throws IOException {
        transaction(() -> update("DELETE FROM shots WHERE path = ?", path));
    }

    /** Every labeled shot, by path. */
    public List<Shot> shots() throws IOException {
        List<Shot> shots = new ArrayList<>();
        query("SELECT path, label, source FROM shots ORDER BY path", statement -> { }, rows -> {
            while (rows.next()) {
                shots.add(new Shot(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        });
        return shots;
    }

    // ---- runs ----

    /** Creates a run in the RUNNING state, with a new id made of the time and the method. */
    public RunRecord createRun(String method, long seed, Map<String, String> settings, Map<String, String> inputs)
            throws IOException {
        Instant now = Instant.now();
        String base = RUN_ID.format(now) + "-" + method.replaceAll("[^A-Za-z0-9]+", "_");
        // Each id is claimed by the insert itself: a look-up first would let two processes take the same id.
        for (int n = 1; ; n++) {
            String id = n == 1 ? base : base + "-" + n;
            boolean[] claimed = new boolean[1];
            transaction(() -> claimed[0] = update("INSERT INTO runs (id, method, seed, status, created, finished,"
                    + " settings, inputs, metrics, message) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, '')"
                    + " ON CONFLICT(id) DO NOTHING", id, method, seed, RunRecord.Status.RUNNING.name(), now.toString(),
                    json(settings), json(inputs), json(Map.of())) == 1);
            if (claimed[0]) {
                return new RunRecord(id, method, seed, RunRecord.Status.RUNNING, now, Optional.empty(), settings,
                        inputs, Map.of(), "");
            }
        }
    }

    /** Writes a run's status, end time, metrics and message. */
    public void updateRun(RunRecord run) throws IOException {
        transaction(() -> update("UPDATE runs SET status = ?, finished = ?, metrics = ?, message = ? WHERE id = ?",
                run.status().name(), run.finished().map(Instant::toString).orElse(null), json(run.metrics()),
                run.message(), run.id()));
    }

    /** A run by id. */
    public Optional<RunRecord> run(String id) throws IOException {
        List<RunRecord> found = runs("WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every run, oldest first. */
    public List<RunRecord> runs() throws IOException {
        return runs("");
    }

    private List<RunRecord> runs(String where, Object... parameters) throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        query("SELECT id, method, seed, status, created, finished, settings, inputs, metrics, message FROM runs " + where
                + " ORDER BY created, id", statement -> bind(statement, parameters), rows -> {
                    while (rows.next()) {
                        runs.add(new RunRecord(rows.getString(1), rows.getString(2), rows.getLong(3),
                                RunRecord.Status.valueOf(rows.getString(4)), Instant.parse(rows.getString(5)),
                                Optional.ofNullable(rows.getString(6)).map(Instant::parse),
                                readMap(rows.getString(7), new TypeReference<Map<String, String>>() { }),
                                readMap(rows.getString(8), new TypeReference<Map<String, String>>() { }),
                                readMap(rows.getString(9), new TypeReference<Map<String, Double>>() { }),
                                rows.getString(10)));
                    }
                });
        // By instant, not by the stored text: Instant.toString drops zero fractions, so "…:00Z" sorts after
        // "…:00.250Z".
        runs.sort(Comparator.comparing(RunRecord::created));
        return runs;
    }

    // ---- predictions ----

    /** One image's final label in a run. */
    public record PredictionRow(String path, int label, float confidence) {
    }

    /** Replaces a run's predictions on one split ({@code target} or {@code test}) in one transaction. */
    public void putPredictions(String runId, String split, List<PredictionRow> rows) throws IOException {
        transaction(() -> {
            update("DELETE FROM predictions WHERE run_id = ? AND split = ?", runId, split);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO predictions (run_id, split, path, label, confidence) VALUES (?, ?, ?, ?, ?)")) {
                for (PredictionRow row : rows) {
                    bind(insert, runId, split, row.path(), row.label(), row.confidence());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** A run's predictions on one split, by path. */
    public List<PredictionRow> predictions(String runId, String split) throws IOException {
        List<PredictionRow> rows = new ArrayList<>();
        query("SELECT path, label, confidence FROM predictions WHERE run_id = ? AND split = ? ORDER BY path",
                statement -> bind(statement, runId, split), result -> {
                    while (result.next()) {
                        rows.add(new PredictionRow(result.getString(1), result.getInt(2), result.getFloat(3)));
                    }
                });
        return rows;
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("Cannot close the project catalog in " + directory + ": " + e.getMessage(), e);
        }
    }

    // ---- plumbing ----

    private interface SqlWork {
        void run() throws SQLException, IOException;
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface RowReader {
        void read(ResultSet rows) throws SQLException, IOException;
    }

    private synchronized void transaction(SqlWork work) throws IOException {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("The project catalog " + directory.resolve(FILE) + " could not be updated: "
                    + e.getMessage(), e);
        }
    }

    private synchronized void query(String sql, Binder binder, RowReader reader) throws IOException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IOException("The project catalog " + directory.resolve(FILE) + " could not be read: "
                    + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static String json(Map<String, ?> map) throws IOException {
        return JSON.writeValueAsString(map);
    }

    private static <T> T readMap(String text, TypeReference<T> type) throws IOException {
        return JSON.readValue(text, type);
    }
}
