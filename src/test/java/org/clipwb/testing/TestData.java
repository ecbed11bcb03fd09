package org.clipwb.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find their data: the tiny-clip fixture copied into the test resources, and ../shared beside the clone. */
public final class TestData {
    private TestData() {
    }

    /** The parity fixture in the test resources (hf/, open_clip/, images/, expected.json). */
    public static Path tinyClip() {
        try {
            return Path.of(TestData.class.getResource("/tiny-clip/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A folder under ../shared (the project's shared data, which CI places beside the clone). Fails with a clear message
     * when it is missing rather than skipping, so a check can never pass vacuously.
     */
    public static Path shared(String relative) {
        Path root = Path.of(System.getProperty("clipwb.shared", "../shared"));
        Path dir = root.resolve(relative).toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new IllegalStateException("Test data " + dir + " is missing: the tests expect the project's shared/ folder "
                    + "beside the repository (set -Dclipwb.shared=PATH to point elsewhere)");
        }
        return dir;
    }
}
