package org.clipwb.core.data;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The images of a folder, found recursively and sorted by relative path. When every image sits in a first-level
 * subfolder (and there are at least two), the subfolder names are the images' evaluation labels: the workbench
 * compares predictions with them and uses them for nothing else.
 */
public final class ImageFolder {
    /** File extensions treated as images; other files are listed as skipped, with the reason. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    /** One image file. {@code folderLabel} is its first-level subfolder when the folder has evaluation labels. */
    public record Entry(Path path, String relativePath, Optional<String> folderLabel) {
    }

    /** A file that was not taken, and why. */
    public record Skipped(Path path, String reason) {
    }

    private final Path root;
    private final List<Entry> entries;
    private final List<Skipped> skipped;
    private final List<String> labelFolders;

    private ImageFolder(Path root, List<Entry> entries, List<Skipped> skipped, List<String> labelFolders) {
        this.root = root;
        this.entries = List.copyOf(entries);
        this.skipped = List.copyOf(skipped);
        this.labelFolders = List.copyOf(labelFolders);
    }

    /**
     * Scans a folder, following symbolic links; hidden files and folders (names starting with '.') are ignored. A
     * broken link, a link loop, an image file this process may not read and anything that is not a regular file
     * (a pipe, a socket, a device) are listed as skipped with the reason, never dropped without a word.
     */
    public static ImageFolder scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("Image folder " + root + " does not exist or is not a folder");
        }
        Path base = root.toAbsolutePath().normalize();
        List<Path> images = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(base) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (isHidden(file)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    // Following links, the walk only reports a link's own attributes when its target is missing.
                    skipped.add(new Skipped(file, "broken symbolic link: its target " + linkTarget(file)
                            + " does not exist"));
                } else if (!attrs.isRegularFile()) {
                    skipped.add(new Skipped(file, "not a regular file (a pipe, socket or device)"));
                } else if (!IMAGE_EXTENSIONS.contains(extension(file))) {
                    skipped.add(new Skipped(file, "not an image file (extension \"" + extension(file) + "\")"));
                } else if (!Files.isReadable(file)) {
                    skipped.add(new Skipped(file, "cannot be read: permission denied (check the file's permissions)"));
                } else {
                    images.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                skipped.add(new Skipped(file, e instanceof FileSystemLoopException
                        ? "symbolic link loop: it leads back to a folder that contains it"
                        : "cannot be read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())));
                return FileVisitResult.CONTINUE;
            }
        });
        images.sort(Comparator.comparing(p -> base.relativize(p).toString()));
        Set<String> folders = new TreeSet<>();
        boolean allInSubfolders = !images.isEmpty();
        for (Path image : images) {
            Path relative = base.relativize(image);
            if (relative.getNameCount() < 2) {
                allInSubfolders = false;
            } else {
                folders.add(relative.getName(0).toString());
            }
        }
        boolean labelled = allInSubfolders && folders.size() >= 2;
        List<Entry> entries = new ArrayList<>(images.size());
        for (Path image : images) {
            Path relative = base.relativize(image);
            entries.add(new Entry(image, relative.toString().replace('\\', '/'),
                    labelled ? Optional.of(relative.getName(0).toString()) : Optional.empty()));
        }
        return new ImageFolder(base, entries, skipped, labelled ? new ArrayList<>(folders) : List.of());
    }

    /** The scanned folder (absolute). */
    public Path root() {
        return root;
    }

    /** The images, sorted by relative path. */
    public List<Entry> entries() {
        return entries;
    }

    /** Files that were not taken as images, with reasons. */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** Whether the images carry evaluation labels (one subfolder per class). */
    public boolean hasEvaluationLabels() {
        return !labelFolders.isEmpty();
    }

    /** The label subfolders, sorted; empty when the folder has no evaluation labels. */
    public List<String> labelFolders() {
        return labelFolders;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static boolean isHidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
