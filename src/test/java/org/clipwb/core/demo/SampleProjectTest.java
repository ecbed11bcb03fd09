package org.clipwb.core.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipwb.core.data.ProjectFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draws of a sample project: reproducible, different for another seed, balanced, of the asked size. */
class SampleProjectTest {
    private static final SampleProject FILLS = SampleProject.FILLS_SHIFTED;

    @TempDir
    Path temp;

    @Test
    void aVariantIsAValueBuiltFromTheShippedDraw() {
        SampleProject.Variant shipped = FILLS.defaultVariant();
        assertEquals(24, shipped.imagesPerClass());
        assertEquals(FILLS.variant(shipped.seed(), 24), shipped);
        assertEquals(FILLS.variant(7, 3), shipped.withSeed(7).withImagesPerClass(3));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FILLS.variant(7, 0));
        assertEquals("need at least 1 image per class, not 0", error.getMessage());
    }

    @Test
    void aSeedDrawsOtherImagesAndTheSameOnesEveryTime() throws IOException {
        SampleProject.Variant shippedSeed = FILLS.defaultVariant().withImagesPerClass(3);
        SampleProject.Variant seven = shippedSeed.withSeed(7);
        Map<String, byte[]> first = images(generate(seven, "first"));
        Map<String, byte[]> again = images(generate(seven, "again"));
        Map<String, byte[]> shipped = images(generate(shippedSeed, "shipped"));

        assertEquals(first.keySet(), shipped.keySet());
        for (String image : first.keySet()) {
            assertTrue(Arrays.equals(first.get(image), again.get(image)), image + " is reproducible");
            assertFalse(Arrays.equals(first.get(image), shipped.get(image)), image + " is another draw");
        }
    }

    @Test
    void everyClassGetsTheAskedNumberOfImages() throws IOException {
        ProjectFolder folder = generate(FILLS.variant(11, 2), "two");

        Map<String, byte[]> images = images(folder);
        assertEquals(List.of("dotted/dotted-001.jpg", "dotted/dotted-002.jpg", "outlined/outlined-001.jpg",
                "outlined/outlined-002.jpg", "solid/solid-001.jpg", "solid/solid-002.jpg", "striped/striped-001.jpg",
                "striped/striped-002.jpg"), List.copyOf(images.keySet()));
        assertEquals(List.of("solid", "outlined", "striped", "dotted"), Files.readAllLines(folder.classList()));
        assertEquals(List.of("# the prompt the demo model was pretrained to match", "a photo of a {} shape."),
                Files.readAllLines(folder.templates()));
    }

    @Test
    void aFolderHoldingImagesThatTheDrawDoesNotWriteIsRefused() throws IOException {
        ProjectFolder folder = generate(FILLS.variant(11, 3), "project");

        IOException smaller = assertThrows(IOException.class, () -> FILLS.variant(11, 2).generate(folder.dir()));
        assertTrue(smaller.getMessage().startsWith(folder.images().resolve("dotted/dotted-003.jpg")
                + " is not part of this draw of fills-shifted (2 images per class)"), smaller.getMessage());
        IOException otherProject = assertThrows(IOException.class,
                () -> SampleProject.SHAPES_SHIFTED.variant(11, 3).generate(folder.dir()));
        assertTrue(otherProject.getMessage().contains("is not part of this draw of shapes-shifted"),
                otherProject.getMessage());
        assertEquals(12, images(folder).size(), "nothing was written");

        Files.writeString(folder.images().resolve("solid/.solid-001.jpg.interrupted.tmp"), "hidden: not an image");
        generate(FILLS.variant(12, 3), "project"); // a draw of the same size overwrites the earlier one
    }

    private ProjectFolder generate(SampleProject.Variant variant, String name) throws IOException {
        ProjectFolder folder = new ProjectFolder(temp.resolve(name));
        variant.generate(folder.dir());
        return folder;
    }

    /** The visible images of a project by path under {@code images/}, in order. */
    private static Map<String, byte[]> images(ProjectFolder folder) throws IOException {
        Map<String, byte[]> images = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder.images())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jpg")).toList()) {
                images.put(folder.images().relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return images;
    }
}
