package org.clipwb.core.describe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Something that writes descriptions: a language-model server, an imported file or the offline caption bank. A
 * provider that cannot describe a kind of thing, or a particular one, throws a {@link DescriptionException} naming
 * what is missing.
 */
public interface DescriptionProvider {
    /**
     * Who makes the descriptions, recorded with each of them: "ollama llava:7b at http://127.0.0.1:11434",
     * "import /data/descriptions.json", "offline caption bank (2000 captions 1a2b3c4d, model demo)".
     */
    String id();

    /** CuPL descriptions of a class (methods.md §1.9): sentences ending with ".". */
    List<String> describeClass(String className, DescriptionRequest request) throws IOException, InterruptedException;

    /** A one-line description of one image (LatteCLIP's image description, methods.md §3.2 P3). */
    String describeImage(Path image, String prompt) throws IOException, InterruptedException;

    /** A one-line description of what a group of images has in common (LatteCLIP's group description, §3.2 P4). */
    String describeGroup(List<Path> images, String prompt) throws IOException, InterruptedException;
}
