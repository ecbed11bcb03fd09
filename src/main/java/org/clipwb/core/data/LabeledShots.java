package org.clipwb.core.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.clipwb.core.zeroshot.ClassList;

/**
 * Labeled shots: a few images per class whose labels the user vouches for. Read from a CSV of {@code path,label}
 * rows (a header row {@code path,label} is optional; relative paths are taken from the CSV's folder, then from the
 * image folder) or from a folder with one subfolder per class. Labels are matched to the class list as folder labels
 * are (ignoring case, '_' and '-').
 */
public final class LabeledShots {
    private LabeledShots() {
    }

    /** One vouched-for image and its class index. */
    public record Shot(Path path, int label) {
    }

    /**
     * Reads the shots of {@code source} (a CSV file or a folder of class subfolders).
     *
     * @param imageFolder the project's image folder, the second place relative CSV paths are looked up
     * @throws IOException naming the file and line of a malformed row, an unknown class or a missing image
     */
    public static List<Shot> read(Path source, ClassList classes, Path imageFolder) throws IOException {
        if (Files.isDirectory(source)) {
            return fromFolder(source, classes);
        }
        if (!Files.isRegularFile(source)) {
            throw new IOException("Labeled shots " + source + " do not exist: give a CSV of path,label rows or a folder "
                    + "with one subfolder per class");
        }
        return fromCsv(source, classes, imageFolder);
    }

    private static List<Shot> fromFolder(Path folder, ClassList classes) throws IOException {
        ImageFolder scanned = ImageFolder.scan(folder);
        if (!scanned.hasEvaluationLabels()) {
            throw new IOException("Labeled shots folder " + folder + " must hold one subfolder per class (at least two), "
                    + "each with its images");
        }
        List<Shot> shots = new ArrayList<>();
        for (ImageFolder.Entry entry : scanned.entries()) {
            String label = entry.folderLabel().orElseThrow();
            shots.add(new Shot(entry.path(), classIndex(classes, label, folder.resolve(label).toString())));
        }
        return shots;
    }

    private static List<Shot> fromCsv(Path csv, ClassList classes, Path imageFolder) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES).enable(CsvParser.Feature.TRIM_SPACES);
        List<Shot> shots = new ArrayList<>();
        try (MappingIterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(csv.toFile())) {
            while (rows.hasNextValue()) {
                List<String> row = rows.nextValue();
                // After a row the parser stands at the start of the next line, or still on the row's own line when
                // it is the file's last and has no newline.
                JsonLocation after = rows.getCurrentLocation();
                int line = after.getColumnNr() <= 1 ? after.getLineNr() - 1 : after.getLineNr();
                String where = csv + " line " + Math.max(1, line);
                if (row.size() != 2) {
                    throw new IOException(where + ": expected 2 columns (path,label), found " + row.size());
                }
                if (shots.isEmpty() && row.get(0).toLowerCase(Locale.ROOT).equals("path")
                        && row.get(1).toLowerCase(Locale.ROOT).equals("label")) {
                    continue;
                }
                Path image = locate(row.get(0), csv.toAbsolutePath().getParent(), imageFolder)
                        .orElseThrow(() -> new IOException(where + ": image " + row.get(0) + " not found (looked beside "
                                + "the CSV and in " + imageFolder + ")"));
                shots.add(new Shot(image, classIndex(classes, row.get(1), where)));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(csv + " line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": not a CSV of path,label rows (" + e.getOriginalMessage() + ")", e);
        }
        if (shots.isEmpty()) {
            throw new IOException(csv + " holds no path,label rows");
        }
        return shots;
    }

    private static Optional<Path> locate(String path, Path csvFolder, Path imageFolder) {
        Path given = Path.of(path);
        if (given.isAbsolute()) {
            return Files.isRegularFile(given) ? Optional.of(given) : Optional.empty();
        }
        for (Path base : new Path[] {csvFolder, imageFolder}) {
            if (base != null && Files.isRegularFile(base.resolve(given))) {
                return Optional.of(base.resolve(given).toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    private static int classIndex(ClassList classes, String label, String where) throws IOException {
        return classes.indexOf(label).orElseThrow(() -> new IOException(where + ": '" + label
                + "' is not a class of the class list (" + String.join(", ", classes.names()) + ")"));
    }
}
