package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipwb sample-projects}: the shipped projects, variants of them, and one-line usage errors. */
class SampleProjectsCommandTest {
    @TempDir
    Path temp;

    private final CliSession cli = new CliSession();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @Test
    void generatesTheNamedProjectsAndRejectsUnknownNames() throws IOException {
        assertEquals(0, run("sample-projects", "--output", temp.toString(), "colours-cluttered"), err.toString());
        Path project = temp.resolve("colours-cluttered");
        assertEquals(List.of("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white"),
                Files.readAllLines(project.resolve("classes.txt")));
        assertEquals(240, images(project).size());
        assertFalse(Files.exists(temp.resolve("shapes-shifted")), "only the named project");

        assertEquals(2, run("sample-projects", "--output", temp.toString(), "cats-and-dogs"));
        assertOneLine("no sample project \"cats-and-dogs\" (known: shapes-shifted, colours-cluttered, "
                + "fills-shifted, sizes-shifted)");
    }

    @Test
    void aSeedAndASizeDrawAVariantThatTheSameOptionsReproduce() throws IOException {
        assertEquals(0, generateFillsVariant(temp.resolve("first")), err.toString());
        Path first = temp.resolve("first/fills-shifted");
        assertEquals("Generated " + first + " (4 classes, 2 images each, seed 7)", out.toString().strip());
        assertEquals(List.of("solid", "outlined", "striped", "dotted"),
                Files.readAllLines(first.resolve("classes.txt")));
        List<Path> images = images(first);
        assertEquals(8, images.size());
        for (String fill : List.of("solid", "outlined", "striped", "dotted")) {
            assertEquals(2, images.stream().filter(image -> image.getParent().getFileName().toString().equals(fill))
                    .count(), fill);
        }

        assertEquals(0, generateFillsVariant(temp.resolve("again")), err.toString());
        for (Path image : images) {
            Path same = temp.resolve("again/fills-shifted").resolve(first.relativize(image));
            assertArrayEquals(Files.readAllBytes(image), Files.readAllBytes(same), image.toString());
        }
    }

    @Test
    void badVariantsAreOneLineUsageErrors() throws IOException {
        assertEquals(2, run("sample-projects", "fills-shifted", "--per-class", "0", "--output", temp.toString()));
        assertOneLine("sample-projects: need at least 1 image per class, not 0");
        assertEquals(2, run("sample-projects", "fills-shifted", "--seed", "7"));
        assertOneLine("--seed and --per-class need --output DIR: the default, sample-projects, holds the shipped "
                + "projects");
        assertEquals(2, run("sample-projects", "fills-shifted", "--seed", "seven", "--output", temp.toString()));
        assertOneLine("'seven' is not a long");
        assertEquals(2, run("sample-projects", "fills", "--seed", "7", "--output", temp.toString()));
        assertOneLine("no sample project \"fills\"");
        try (Stream<Path> written = Files.list(temp)) {
            assertEquals(0, written.count(), "nothing was generated");
        }
    }

    private void assertOneLine(String expected) {
        cli.assertOneLine(expected);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private int generateFillsVariant(Path output) {
        return run("sample-projects", "fills-shifted", "--seed", "7", "--per-class", "2", "--output",
                output.toString());
    }

    private static List<Path> images(Path project) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("images"))) {
            return files.filter(file -> file.toString().endsWith(".jpg")).sorted().toList();
        }
    }
}
