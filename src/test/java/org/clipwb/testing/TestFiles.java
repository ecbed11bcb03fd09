package org.clipwb.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files for tests that only need them to exist: each holds its own relative path, so copies can be told apart. */
public final class TestFiles {
    private TestFiles() {
    }

    /** Creates {@code root/relative} (and its folders) for each path, holding the path as text; returns the root. */
    public static Path touch(Path root, String... relative) throws IOException {
        for (String path : relative) {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, path);
        }
        return root;
    }

    /** Every file and link below {@code root}, as sorted '/'-separated relative paths. */
    public static List<String> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !Files.isDirectory(p) || Files.isSymbolicLink(p))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
