package org.clipwb.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.data.LabeledShots.Shot;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledShotsTest {
    private static final ClassList CLASSES = ClassList.parse("cat\ndog\ngolden retriever");

    @TempDir
    Path temp;

    private Path images;
    private Path csvFolder;

    @BeforeEach
    void files() throws IOException {
        images = TestFiles.touch(temp.resolve("images"), "a.png", "sub/b.png", "both.png", "my, file.png");
        csvFolder = TestFiles.touch(temp.resolve("labels"), "shots/c.png", "both.png");
    }

    private Path csv(String text) throws IOException {
        Path file = csvFolder.resolve("shots.csv");
        Files.writeString(file, text);
        return file;
    }

    private List<Shot> read(String text) throws IOException {
        return LabeledShots.read(csv(text), CLASSES, images);
    }

    private String error(String text) throws IOException {
        Path file = csv(text);
        return assertThrows(IOException.class, () -> LabeledShots.read(file, CLASSES, images)).getMessage();
    }

    @Test
    void aCsvWithAHeaderFindsImagesBesideItThenInTheImageFolder() throws IOException {
        assertEquals(List.of(new Shot(csvFolder.resolve("shots/c.png"), 0), new Shot(images.resolve("sub/b.png"), 1),
                new Shot(csvFolder.resolve("both.png"), 2)),
                read("path,label\nshots/c.png,cat\nsub/b.png,dog\nboth.png,golden retriever\n"));
    }

    @Test
    void aCsvWithoutAHeaderQuotingAndLooseLabels() throws IOException {
        assertEquals(List.of(new Shot(images.resolve("a.png"), 1), new Shot(images.resolve("my, file.png"), 2)),
                read("a.png , DOG\n\n\"my, file.png\",Golden_Retriever"));
    }

    @Test
    void absolutePathsAreTakenAsTheyAre() throws IOException {
        Path elsewhere = TestFiles.touch(temp.resolve("elsewhere"), "z.png").resolve("z.png").toAbsolutePath();
        assertEquals(List.of(new Shot(elsewhere, 0)), read(elsewhere + ",cat\n"));
        assertEquals(csv("") + " line 1: image " + temp.resolve("nowhere.png").toAbsolutePath() + " not found (looked"
                + " beside the CSV and in " + images + ")", error(temp.resolve("nowhere.png").toAbsolutePath()
                + ",cat\n"));
    }

    @Test
    void aRowWithTheWrongColumnCountNamesFileAndLine() throws IOException {
        Path file = csv("");
        assertEquals(file + " line 3: expected 2 columns (path,label), found 3",
                error("path,label\na.png,cat\nsub/b.png,dog,extra\nboth.png,cat\n"));
        assertEquals(file + " line 1: expected 2 columns (path,label), found 1", error("a.png\n"));
        assertEquals(file + " line 2: expected 2 columns (path,label), found 1", error("a.png,cat\nsub/b.png"),
                "the last line, without a newline");
        assertEquals(file + " line 4: expected 2 columns (path,label), found 3", error("a.png,cat\n\n\nb,c,d\n"),
                "blank lines count");
        assertEquals(file + " line 2: expected 2 columns (path,label), found 1", error("a.png,cat\r\nsub/b.png\r\n"),
                "Windows line ends");
        assertEquals(file + " line 2: 'zebra' is not a class of the class list (cat, dog, golden retriever)",
                error("a.png,cat\r\nsub/b.png,zebra"));
    }

    @Test
    void anUnknownClassNamesTheClasses() throws IOException {
        assertEquals(csv("") + " line 2: 'zebra' is not a class of the class list (cat, dog, golden retriever)",
                error("a.png,cat\nsub/b.png,zebra\n"));
    }

    @Test
    void aMissingImageSaysWhereItWasLookedFor() throws IOException {
        assertEquals(csv("") + " line 2: image gone.png not found (looked beside the CSV and in " + images + ")",
                error("path,label\ngone.png,cat\n"));
    }

    @Test
    void aCsvWithoutRowsIsRefused() throws IOException {
        Path file = csv("");
        assertEquals(file + " holds no path,label rows", error(""));
        assertEquals(file + " holds no path,label rows", error("path,label\n"));
        assertEquals(file + " holds no path,label rows", error("\n\n"));
    }

    @Test
    void aMissingSourceIsNamed() {
        Path missing = temp.resolve("absent.csv");
        IOException e = assertThrows(IOException.class, () -> LabeledShots.read(missing, CLASSES, images));
        assertEquals("Labeled shots " + missing + " do not exist: give a CSV of path,label rows or a folder with one "
                + "subfolder per class", e.getMessage());
    }

    @Test
    void aFolderOfClassSubfoldersLabelsItsImages() throws IOException {
        Path folder = TestFiles.touch(temp.resolve("shots"), "cat/1.png", "Golden_Retriever/2.jpg", "cat/3.png");
        Path root = folder.toAbsolutePath().normalize();
        assertEquals(List.of(new Shot(root.resolve("Golden_Retriever/2.jpg"), 2),
                new Shot(root.resolve("cat/1.png"), 0), new Shot(root.resolve("cat/3.png"), 0)),
                LabeledShots.read(folder, CLASSES, images));
        TestFiles.touch(folder, "zebra/4.png");
        IOException e = assertThrows(IOException.class, () -> LabeledShots.read(folder, CLASSES, images));
        assertEquals(folder.resolve("zebra") + ": 'zebra' is not a class of the class list (cat, dog, golden "
                + "retriever)", e.getMessage());
    }

    @Test
    void aFolderWithoutClassSubfoldersIsRefused() throws IOException {
        Path flat = TestFiles.touch(temp.resolve("flat"), "1.png", "2.png");
        IOException e = assertThrows(IOException.class, () -> LabeledShots.read(flat, CLASSES, images));
        assertEquals("Labeled shots folder " + flat + " must hold one subfolder per class (at least two), each with "
                + "its images", e.getMessage());
    }
}
