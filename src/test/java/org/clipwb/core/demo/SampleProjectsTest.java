package org.clipwb.core.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.util.CommentedLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a sample project is found, and when it is generated. */
class SampleProjectsTest {
    @TempDir
    Path workingDir;

    @TempDir
    Path home;

    private final List<Path> generations = new ArrayList<>();

    @Test
    void aCompleteCopyInTheWorkingDirectoryWinsAndNothingIsGenerated() throws IOException {
        Path shipped = workingDir.resolve("sample-projects/shapes-shifted");
        fakeCompleteProject(SampleProject.SHAPES_SHIFTED, shipped);

        ProjectFolder found = locate(SampleProject.SHAPES_SHIFTED);

        assertEquals(shipped, found.dir());
        assertEquals(List.of(), generations);
        assertFalse(Files.exists(home.resolve("sample-projects")), "the home is not touched");
    }

    @Test
    void withoutACompleteCopyTheProjectIsGeneratedUnderTheHomeOnceAndThenReused() throws IOException {
        // A copy without its lists (say, a checkout in progress) must not win, and is left as it is.
        Files.createDirectories(workingDir.resolve("sample-projects/shapes-shifted/images/circle"));

        ProjectFolder first = locate(SampleProject.SHAPES_SHIFTED);

        Path expected = home.resolve("sample-projects/shapes-shifted");
        assertEquals(expected, first.dir());
        assertEquals(List.of(expected), generations);
        assertTrue(SampleProjects.isComplete(SampleProject.SHAPES_SHIFTED, first));
        assertEquals(SampleProject.SHAPES_SHIFTED.task().classNames(), meaningfulLines(first.classList()));
        assertEquals(List.of(SampleProject.SHAPES_SHIFTED.task().template()), meaningfulLines(first.templates()));
        for (String className : SampleProject.SHAPES_SHIFTED.task().classNames()) {
            try (Stream<Path> images = Files.list(first.images().resolve(className))) {
                assertTrue(images.anyMatch(image -> image.getFileName().toString().endsWith(".jpg")), className);
            }
        }
        assertFalse(Files.exists(workingDir.resolve("sample-projects/shapes-shifted/classes.txt")));

        Map<Path, FileTime> written = modificationTimes(expected);
        ProjectFolder second = locate(SampleProject.SHAPES_SHIFTED);

        assertEquals(expected, second.dir());
        assertEquals(1, generations.size(), "not generated again");
        assertEquals(written, modificationTimes(expected), "no file was rewritten");
    }

    @Test
    void anIncompleteGeneratedFolderIsCompleted() throws IOException {
        Path project = home.resolve("sample-projects/colours-cluttered");
        // An interrupted generation: some images, no lists.
        Files.createDirectories(project.resolve("images/red"));
        Files.writeString(project.resolve("images/red/red-001.jpg"), "half written");

        ProjectFolder found = locate(SampleProject.COLOURS_CLUTTERED);

        assertEquals(project, found.dir());
        assertEquals(List.of(project), generations);
        assertTrue(SampleProjects.isComplete(SampleProject.COLOURS_CLUTTERED, found));
        assertEquals(SampleProject.COLOURS_CLUTTERED.task().classNames(), meaningfulLines(found.classList()));
        assertTrue(Files.size(project.resolve("images/red/red-001.jpg")) > 100, "the broken image is rewritten");
    }

    @Test
    void aHomeThatCannotHoldTheProjectIsAnErrorNamingTheFolder() throws IOException {
        Path notAFolder = Files.writeString(home.resolve("file"), "x");
        SampleProjects projects = new SampleProjects(workingDir, notAFolder);

        IOException error = assertThrows(IOException.class,
                () -> projects.locate(SampleProject.SHAPES_SHIFTED, generations::add));

        assertTrue(error.getMessage().startsWith("Cannot generate the sample project shapes-shifted in "
                + notAFolder.resolve("sample-projects/shapes-shifted")), error.getMessage());
        assertTrue(error.getMessage().endsWith("CLIPWB_HOME chooses another folder for the workbench's files"),
                error.getMessage());
    }

    private ProjectFolder locate(SampleProject project) throws IOException {
        return new SampleProjects(workingDir, home).locate(project, generations::add);
    }

    /** The layout of a project, with empty files: enough for the rule, which reads no image. */
    private static void fakeCompleteProject(SampleProject project, Path dir) throws IOException {
        for (String className : project.task().classNames()) {
            Files.createDirectories(dir.resolve("images").resolve(className));
        }
        Files.writeString(dir.resolve("classes.txt"), String.join("\n", project.task().classNames()));
        Files.writeString(dir.resolve("templates.txt"), project.task().template());
    }

    private static List<String> meaningfulLines(Path file) throws IOException {
        return CommentedLines.read(file).stream().map(CommentedLines.Line::text).toList();
    }

    private static Map<Path, FileTime> modificationTimes(Path dir) throws IOException {
        Map<Path, FileTime> times = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                times.put(file, Files.getLastModifiedTime(file));
            }
        }
        return times;
    }
}
