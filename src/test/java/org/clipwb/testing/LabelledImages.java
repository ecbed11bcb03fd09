package org.clipwb.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The tiny-clip fixture's seven images copied into "cat" and "dog" subfolders, so that they carry labels. */
public final class LabelledImages {
    /** Which fixture image goes into which class folder. */
    public static final Map<String, List<String>> LAYOUT = Map.of(
            "cat", List.of("big_rgb.png", "gray.png", "palette.png"),
            "dog", List.of("square_rgba.png", "tall_rgb.jpg", "tiny.png", "wide_rgb.png"));

    private LabelledImages() {
    }

    /** Copies the images into {@code folder}/cat and {@code folder}/dog and returns {@code folder}. */
    public static Path copyInto(Path folder) throws IOException {
        Path images = TestData.tinyClip().resolve("images");
        for (Map.Entry<String, List<String>> label : LAYOUT.entrySet()) {
            Path target = Files.createDirectories(folder.resolve(label.getKey()));
            for (String name : label.getValue()) {
                Files.copy(images.resolve(name), target.resolve(name));
            }
        }
        return folder;
    }
}
