package org.clipwb.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path temp;

    @Test
    void flatFolderHasNoLabelsAndListsOtherFilesAsSkipped() throws IOException {
        touch("b.JPG");
        touch("a.png");
        touch("notes.txt");
        touch(".hidden.jpg");
        touch(".thumbs/x.jpg");
        ImageFolder folder = ImageFolder.scan(temp);
        assertEquals(List.of("a.png", "b.JPG"), folder.entries().stream().map(ImageFolder.Entry::relativePath).toList());
        assertFalse(folder.hasEvaluationLabels());
        assertEquals(Optional.empty(), folder.entries().get(0).folderLabel());
        assertEquals(1, folder.skipped().size());
        assertTrue(folder.skipped().get(0).reason().contains("not an image"));
    }

    @Test
    void oneSubfolderIsNotALabelling() throws IOException {
        touch("only/a.png");
        assertFalse(ImageFolder.scan(temp).hasEvaluationLabels());
        touch("loose.png");
        touch("other/b.png");
        assertFalse(ImageFolder.scan(temp).hasEvaluationLabels(), "an image outside the class folders");
    }

    @Test
    void classSubfoldersOfTheSharedPhotosAreLabels() throws IOException {
        ImageFolder folder = ImageFolder.scan(TestData.shared("data/dtd-mini"));
        assertEquals(List.of("banded", "braided", "bubbly", "chequered", "cracked"), folder.labelFolders());
        assertEquals(60, folder.entries().size());
        assertEquals(Optional.of("banded"), folder.entries().get(0).folderLabel());
    }

    @Test
    void linksAreFollowedAndBrokenOnesReportedWithTheirPath() throws IOException {
        touch("real/a.png");
        Files.createSymbolicLink(temp.resolve("linked.png"), temp.resolve("real/a.png"));
        Files.createSymbolicLink(temp.resolve("dangling.jpg"), temp.resolve("gone.jpg"));
        Files.createSymbolicLink(temp.resolve("real/loop"), temp.resolve("real"));
        ImageFolder folder = ImageFolder.scan(temp);
        assertEquals(List.of("linked.png", "real/a.png"), folder.entries().stream().map(ImageFolder.Entry::relativePath).toList());
        assertEquals(2, folder.skipped().size(), folder.skipped().toString());
        ImageFolder.Skipped dangling = skippedNamed(folder, "dangling.jpg");
        assertEquals(temp.resolve("dangling.jpg").toAbsolutePath(), dangling.path());
        assertTrue(dangling.reason().contains("broken symbolic link") && dangling.reason().contains("gone.jpg"),
                dangling.reason());
        assertTrue(skippedNamed(folder, "loop").reason().contains("symbolic link loop"));
    }

    /** Root reads any file, so this runs only as another user (developers' machines; CI runs as root). */
    @Test
    void anImageThisProcessMayNotReadIsReportedNotDropped() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root may read any file, so a permission error cannot be provoked");
        touch("secret.png");
        Files.setPosixFilePermissions(temp.resolve("secret.png"), Set.of());
        ImageFolder folder = ImageFolder.scan(temp);
        assertTrue(folder.entries().isEmpty());
        assertTrue(skippedNamed(folder, "secret.png").reason().contains("permission denied"));
    }

    private static ImageFolder.Skipped skippedNamed(ImageFolder folder, String name) {
        return folder.skipped().stream().filter(s -> s.path().getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not among the skipped files: " + folder.skipped()));
    }

    @Test
    void missingFolderIsAClearError() {
        IOException error = assertThrows(IOException.class, () -> ImageFolder.scan(temp.resolve("nope")));
        assertTrue(error.getMessage().contains("does not exist"));
    }

    private void touch(String relative) throws IOException {
        Path file = temp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
    }
}
