package org.clipwb.core.embed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.util.Digests;

/**
 * On-disk cache of embeddings keyed by (model, file content), in SQLite, so that a second run over the same images
 * with the same model does no model work. Content keys are SHA-256 digests of the file bytes; a memo of
 * (path, size, modification time) → digest avoids re-reading unchanged files. Safe to share between threads and
 * processes (SQLite WAL). The cache holds only derived data: a corrupt database is moved aside and rebuilt.
 */
public final class EmbeddingCache implements AutoCloseable {
    private static final int LOOKUP_CHUNK = 500;

    private final Path file;
    private final Connection connection;

    private EmbeddingCache(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (or creates) the cache database. */
    public static EmbeddingCache open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            return new EmbeddingCache(file, connect(file));
        } catch (SQLException e) {
            // Derived data only: keep the broken file for inspection and start afresh.
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().toEpochMilli());
            Files.move(file, aside);
            try {
                return new EmbeddingCache(file, connect(file));
            } catch (SQLException again) {
                throw new IOException("Cannot open the embedding cache " + file + ": " + again.getMessage(), again);
            }
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA busy_timeout=10000");
            statement.execute("CREATE TABLE IF NOT EXISTS embeddings (model_key TEXT NOT NULL, content_key TEXT NOT NULL,"
                    + " vector BLOB NOT NULL, PRIMARY KEY (model_key, content_key)) WITHOUT ROWID");
            statement.execute("CREATE TABLE IF NOT EXISTS file_digests (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                    + " modified_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * The content key of a file: the hex SHA-256 of its bytes, taken from the memo when the file's size and
     * modification time are unchanged.
     */
    public String contentKey(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                + attributes.lastModifiedTime().toInstant().getNano();
        String memo = memoizedDigest(absolute.toString(), size, modified);
        if (memo != null) {
            return memo;
        }
        String digest = Digests.sha256(absolute);
        synchronized (this) {
            try (PreparedStatement put = connection.prepareStatement(
                    "INSERT OR REPLACE INTO file_digests (path, size, modified_ns, sha256) VALUES (?, ?, ?, ?)")) {
                put.setString(1, absolute.toString());
                put.setLong(2, size);
                put.setLong(3, modified);
                put.setString(4, digest);
                put.executeUpdate();
            } catch (SQLException e) {
                throw failure("record the digest of " + absolute, e);
            }
        }
        return digest;
    }

    private synchronized String memoizedDigest(String path, long size, long modified) throws IOException {
        try (PreparedStatement get = connection.prepareStatement(
                "SELECT sha256 FROM file_digests WHERE path = ? AND size = ? AND modified_ns = ?")) {
            get.setString(1, path);
            get.setLong(2, size);
            get.setLong(3, modified);
            try (ResultSet rows = get.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("look up the digest of " + path, e);
        }
    }

    /** Cached vectors of a model for the given content keys; keys not in the cache are absent from the map. */
    public synchronized Map<String, float[]> get(String modelKey, Collection<String> contentKeys) throws IOException {
        Map<String, float[]> found = new HashMap<>();
        List<String> keys = new ArrayList<>(contentKeys);
        for (int start = 0; start < keys.size(); start += LOOKUP_CHUNK) {
            List<String> chunk = keys.subList(start, Math.min(keys.size(), start + LOOKUP_CHUNK));
            String placeholders = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement get = connection.prepareStatement("SELECT content_key, vector FROM embeddings"
                    + " WHERE model_key = ? AND content_key IN (" + placeholders + ")")) {
                get.setString(1, modelKey);
                for (int i = 0; i < chunk.size(); i++) {
                    get.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rows = get.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), decode(rows.getBytes(2)));
                    }
                }
            } catch (SQLException e) {
                throw failure("read cached embeddings", e);
            }
        }
        return found;
    }

    /** Stores vectors of a model in one transaction. */
    public synchronized void put(String modelKey, Map<String, float[]> vectors) throws IOException {
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement put = connection.prepareStatement(
                    "INSERT OR REPLACE INTO embeddings (model_key, content_key, vector) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
                    put.setString(1, modelKey);
                    put.setString(2, entry.getKey());
                    put.setBytes(3, encode(entry.getValue()));
                    put.addBatch();
                }
                put.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("store embeddings", e);
        }
    }

    /** Number of vectors cached for a model. */
    public synchronized int count(String modelKey) throws IOException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM embeddings WHERE model_key = ?")) {
            count.setString(1, modelKey);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw failure("count cached embeddings", e);
        }
    }

    private static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    private static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    private IOException failure(String what, SQLException e) {
        return new IOException("Embedding cache " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
