package org.clipwb.core.project;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
     * to it). Files whose names collide inside a class folder get their relative path, flattened, as name.
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
        for (ProjectCatalog.PredictionRow row : rows) {
            Path source = imagesRoot.resolve(row.path()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(source)) {
                throw new IOException("Image " + source + " of the run is missing: was the image folder moved?");
            }
            Path folder = out.resolve(safeName(classNames.get(row.label())));
            Files.createDirectories(folder);
            Path target = folder.resolve(source.getFileName().toString());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                target = folder.resolve(row.path().replace('/', '_').replace('\\', '_'));
            }
            if (mode == TreeMode.LINK) {
                Files.createSymbolicLink(target, source);
            } else {
                Files.copy(source, target);
            }
        }
    }

    /** A class name as a folder name: path separators and leading dots replaced. */
    static String safeName(String className) {
        String name = className.replaceAll("[/\\\\:*?\"<>|]", "_").strip();
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }
}
