package org.clipwb.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path temp;

    @Test
    void replacesContentWholeAndLeavesNoTemporaryFiles() throws IOException {
        Path target = temp.resolve("out/result.csv");
        AtomicFiles.write(target, "first".getBytes());
        AtomicFiles.write(target, "second".getBytes());
        assertEquals("second", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void failureKeepsTheOldContent() throws IOException {
        Path target = temp.resolve("result.csv");
        AtomicFiles.write(target, "old".getBytes());
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(temp)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void newFilesAreReadableByOthersLikeOrdinaryFiles() throws IOException {
        Path target = temp.resolve("shared.csv");
        AtomicFiles.write(target, "x".getBytes());
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            assertTrue(Files.getPosixFilePermissions(target).contains(PosixFilePermission.OTHERS_READ)
                    || Files.getPosixFilePermissions(target).contains(PosixFilePermission.GROUP_READ),
                    "not owner-only: " + Files.getPosixFilePermissions(target));
        }
    }
}
