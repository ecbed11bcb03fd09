package org.clipwb.core.project;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.util.CsvTable;

/**
 * Exports a run's labels: as a CSV of {@code path,label,confidence}, or as a tree of class folders holding links to
 * (or copies of) the images, the layout other tools take as a labeled dataset.
 */
public final class LabelExport {
    private LabelExport() {
    }

    /** How the class-folder tree holds the images. */
    public enum TreeMode {
        /** Symbolic links to the original images: instant, no extra space. */
        LINK,
        /** Copies of the images: a self-contained folder. */
        COPY
    }

    /** Writes {@code path,label,confidence} rows atomically. */
    public static void writeCsv(Path file, List<ProjectCatalog.PredictionRow> rows, List<String> classNames)
            throws IOException {
        CsvTable.write(file, List.of("path", "label", "confidence"), sink -> {
            for (ProjectCatalog.PredictionRow row : rows) {
                sink.row(List.of(row.path(), classNames.get(row.label()), Float.toString(row.confidence())));
            }
        });
    }

    /**
     * Writes {@code out/<class>/<file>} for every row, images taken from {@code imagesRoot} (rows' paths are relative
     * to it). Files whose names collide inside a class folder get their relative path, flattened, as name (numbered if
     * that is taken too). Every image is checked first: a missing one leaves nothing written.
     *
     * @throws IOException when {@code out} exists and is not empty, or an image is missing
     */
    public static void writeTree(Path out, Path imagesRoot, List<ProjectCatalog.PredictionRow> rows,
            List<String> classNames, TreeMode mode) throws IOException {
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(out + " is not empty: choose a new folder for the class tree");
                }
            }
        }
        // Every image is checked before anything is written, so that a missing one leaves no half-made tree.
        List<Path> sources = new ArrayList<>();
        for (ProjectCatalog.PredictionRow row : rows) {
            Path source = imagesRoot.resolve(row.path()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(source)) {
                throw new IOException("Image " + source + " of the run is missing: was the image folder moved?");
            }
            sources.add(source);
        }
        for (int i = 0; i < rows.size(); i++) {
            ProjectCatalog.PredictionRow row = rows.get(i);
            Path source = sources.get(i);
            Path folder = out.resolve(safeName(classNames.get(row.label())));
            Files.createDirectories(folder);
            Path target = freeName(folder, source.getFileName().toString(),
                    row.path().replace('/', '_').replace('\\', '_'));
            if (mode == TreeMode.LINK) {
                Files.createSymbolicLink(target, source);
            } else {
                Files.copy(source, target);
            }
        }
    }

    /** The file name, else the flattened relative path, else that with "-2", "-3", ... before its extension. */
    private static Path freeName(Path folder, String name, String flattened) {
        for (String candidate : List.of(name, flattened)) {
            if (!Files.exists(folder.resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                return folder.resolve(candidate);
            }
        }
        int dot = flattened.lastIndexOf('.');
        String stem = dot > 0 ? flattened.substring(0, dot) : flattened;
        String extension = dot > 0 ? flattened.substring(dot) : "";
        for (int n = 2; ; n++) {
            Path candidate = folder.resolve(stem + "-" + n + extension);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /** A class name as a folder name: path separators and leading dots replaced. */
    static String safeName(String className) {
        String name = className.replaceAll("[/\\\\:*?\"<>|]", "_").strip();
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }
}
