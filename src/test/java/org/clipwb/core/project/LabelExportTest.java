package org.clipwb.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.project.LabelExport.TreeMode;
import org.clipwb.core.project.ProjectCatalog.PredictionRow;
import org.clipwb.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelExportTest {
    private static final List<String> CLASSES = List.of("cat", "dog, large", "a/b");

    @TempDir
    Path temp;

    @Test
    void theCsvHasAHeaderClassNamesAndQuoting() throws IOException {
        Path file = temp.resolve("labels.csv");
        LabelExport.writeCsv(file, List.of(new PredictionRow("x/1.png", 0, 0.75f),
                new PredictionRow("with \"quote\".png", 1, 0.1f), new PredictionRow("2.png", 2, 1f)), CLASSES);
        assertEquals("path,label,confidence\n"
                + "x/1.png,cat,0.75\n"
                + "\"with \"\"quote\"\".png\",\"dog, large\",0.1\n"
                + "2.png,a/b,1.0\n", Files.readString(file));
        LabelExport.writeCsv(file, List.of(), CLASSES);
        assertEquals("path,label,confidence\n", Files.readString(file), "replaced, header only");
    }

    private Path images() throws IOException {
        return TestFiles.touch(temp.resolve("images"), "a/x.png", "b/x.png", "c.png", "b_x.png", "d.jpg");
    }

    @Test
    void aCopiedTreeHasAFolderPerClassAndRenamesCollisions() throws IOException {
        Path images = images();
        Path out = temp.resolve("tree");
        LabelExport.writeTree(out, images, List.of(new PredictionRow("a/x.png", 0, 1), new PredictionRow("b/x.png", 0,
                1), new PredictionRow("c.png", 1, 1), new PredictionRow("d.jpg", 2, 1)), CLASSES, TreeMode.COPY);
        assertEquals(List.of("a_b/d.jpg", "cat/b_x.png", "cat/x.png", "dog, large/c.png"), TestFiles.tree(out));
        assertEquals("a/x.png", Files.readString(out.resolve("cat/x.png")));
        assertEquals("b/x.png", Files.readString(out.resolve("cat/b_x.png")));
        assertFalse(Files.isSymbolicLink(out.resolve("cat/x.png")));
    }

    @Test
    void aLinkedTreeLinksToTheOriginals() throws IOException {
        Path images = images();
        Path out = temp.resolve("tree");
        Files.createDirectories(out); // an existing empty folder is fine
        LabelExport.writeTree(out, images, List.of(new PredictionRow("a/x.png", 1, 1)), CLASSES, TreeMode.LINK);
        Path link = out.resolve("dog, large").resolve("x.png");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(images.resolve("a/x.png").toAbsolutePath().normalize(), Files.readSymbolicLink(link));
        assertEquals("a/x.png", Files.readString(link));
    }

    @Test
    void aThirdImageOfTheSameNameStillFindsAName() throws IOException {
        Path images = images();
        Path out = temp.resolve("tree");
        // x.png takes "x.png", b/x.png then takes its flattened path "b_x.png", which the file b_x.png wants too.
        LabelExport.writeTree(out, images, List.of(new PredictionRow("a/x.png", 0, 1), new PredictionRow("b/x.png", 0,
                1), new PredictionRow("b_x.png", 0, 1)), CLASSES, TreeMode.COPY);
        List<String> tree = TestFiles.tree(out);
        assertEquals(3, tree.size(), tree.toString());
        assertTrue(tree.containsAll(List.of("cat/x.png", "cat/b_x.png")), tree.toString());
        assertEquals(List.of("a/x.png", "b/x.png", "b_x.png"), tree.stream().map(p -> read(out.resolve(p))).sorted()
                .toList(), "every image there once");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingImageIsNamedAndNothingIsWritten() throws IOException {
        Path images = images();
        Path out = temp.resolve("tree");
        IOException e = assertThrows(IOException.class, () -> LabelExport.writeTree(out, images, List.of(
                new PredictionRow("c.png", 0, 1), new PredictionRow("gone.png", 1, 1)), CLASSES, TreeMode.COPY));
        assertEquals("Image " + images.resolve("gone.png").toAbsolutePath().normalize() + " of the run is missing: was "
                + "the image folder moved?", e.getMessage());
        assertTrue(!Files.exists(out) || TestFiles.tree(out).isEmpty(), "no half-written tree");
    }

    @Test
    void aNonEmptyTargetIsRefused() throws IOException {
        Path images = images();
        Path out = TestFiles.touch(temp.resolve("tree"), "keep.txt");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> LabelExport.writeTree(out,
                images, List.of(new PredictionRow("c.png", 0, 1)), CLASSES, TreeMode.LINK));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertEquals(List.of("keep.txt"), TestFiles.tree(out));
    }

    @Test
    void classNamesBecomeSafeFolderNames() {
        assertEquals("a_b", LabelExport.safeName("a/b"));
        assertEquals("c_ d_e_f_g_h_i_j", LabelExport.safeName("c\\ d:e*f?g\"h<i>j"));
        assertEquals("_.hidden", LabelExport.safeName(".hidden"));
        assertEquals("_..", LabelExport.safeName(".."));
        assertEquals("_", LabelExport.safeName("   "));
        assertEquals("golden retriever", LabelExport.safeName(" golden retriever "));
    }
}
