package org.clipwb.core.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes files so that readers see either the old content or the complete new one, never a partial file: the data
 * goes to a temporary file in the same folder, is forced to disk, then renamed over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes a file through {@code body}; on any failure the target is untouched and the temporary file removed. */
    public static void write(Path target, IoConsumer<OutputStream> body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // createFile (not createTempFile, which makes owner-only files) so the result gets the usual permissions.
        Path temp = Files.createFile(dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp"));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                body.accept(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Writes bytes atomically. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Renames a finished file over the target, atomically where the file system allows it. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A consumer that may throw {@link IOException}. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T value) throws IOException;
    }
}
