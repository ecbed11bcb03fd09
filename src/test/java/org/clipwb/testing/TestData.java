package org.clipwb.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find their data: fixtures copied into the test resources (always there), and the optional real photos
 * of ../shared beside the clone.
 */
public final class TestData {
    private TestData() {
    }

    /** The parity fixture in the test resources (hf/, open_clip/, images/, expected.json). */
    public static Path tinyClip() {
        return resource("/tiny-clip/expected.json").getParent();
    }

    /** OpenAI CLIP's real BPE vocabulary (MIT, see its LICENSE) and the reference token ids, in the test resources. */
    public static Path clipTokenizer() {
        return resource("/clip-tokenizer/vocab.json").getParent();
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestData.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A folder under ../shared, the project's optional shared data (real photos) that CI places beside the clone. A
     * clone without it skips the test that asks, saying why; under CI (environment variable {@code CI} set) a missing
     * folder fails instead, so that CI can never pass by skipping.
     */
    public static Path shared(String relative) {
        Path root = Path.of(System.getProperty("clipwb.shared", "../shared"));
        Path dir = root.resolve(relative).toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            String message = "Test data " + dir + " is missing: this test reads the project's optional shared/ folder "
                    + "beside the repository (set -Dclipwb.shared=PATH to point elsewhere)";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + "; CI must have it");
            }
            Assumptions.abort(message);
        }
        return dir;
    }
}
