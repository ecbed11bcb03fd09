package org.clipwb.app.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.data.LabeledShots;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.CsvTable;
import org.clipwb.core.zeroshot.ClassList;

/**
 * An open project: its folder, its catalog ({@link ProjectCatalog}) and the inputs kept there. Inputs belong to the
 * project: opening another project replaces all of them. The class list and the labeled shots are also written as
 * files in the project folder ({@code classes.txt}, {@code shots.csv}) because runs name their inputs by file.
 * Used from one thread at a time (the catalog itself is thread-safe).
 */
public final class WorkbenchProject implements AutoCloseable {
    /** The class list file a run reads. */
    public static final String CLASS_LIST_FILE = "classes.txt";
    /** The labeled shots file a run reads (path,label rows; see {@link LabeledShots}). */
    public static final String SHOTS_FILE = "shots.csv";
    /** Where a vouched-for label came from: the user confirmed the predicted label. */
    public static final String VOUCHED = "vouched";
    /** Where a labeled shot came from: the user corrected the predicted label. */
    public static final String CORRECTED = "corrected";
    private static final String UI_PREFIX = "ui.";

    private final ProjectCatalog catalog;
    private ProjectSettings settings;
    private TrainingInputs trainingInputs;
    private final Map<String, String> uiSettings;

    private WorkbenchProject(ProjectCatalog catalog, Map<String, String> entries) {
        this.catalog = catalog;
        this.settings = ProjectSettings.fromCatalog(entries);
        this.trainingInputs = TrainingInputs.fromCatalog(entries);
        Map<String, String> ui = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            if (key.startsWith(UI_PREFIX)) {
                ui.put(key.substring(UI_PREFIX.length()), value);
            }
        });
        this.uiSettings = ui;
    }

    /** Opens the project in {@code directory}; a folder without a catalog gets one with a new project's settings. */
    public static WorkbenchProject open(Path directory) throws IOException {
        ProjectCatalog catalog = ProjectCatalog.open(directory);
        try {
            return new WorkbenchProject(catalog, catalog.settings());
        } catch (IOException | RuntimeException e) {
            catalog.close();
            throw e;
        }
    }

    /** Creates (or re-creates the inputs of) the project in {@code directory} with {@code settings}. */
    public static WorkbenchProject create(Path directory, ProjectSettings settings) throws IOException {
        WorkbenchProject project = open(directory);
        try {
            project.save(settings);
            return project;
        } catch (IOException | RuntimeException e) {
            project.close();
            throw e;
        }
    }

    /** The project folder. */
    public Path directory() {
        return catalog.directory();
    }

    /** The project's name: its folder's name. */
    public String name() {
        return directory().getFileName().toString();
    }

    /** The project's catalog (settings, labeled shots, runs, predictions). */
    public ProjectCatalog catalog() {
        return catalog;
    }

    /** The project's inputs. */
    public ProjectSettings settings() {
        return settings;
    }

    /** Replaces the project's inputs in the catalog and rewrites {@code classes.txt}. */
    public void save(ProjectSettings newSettings) throws IOException {
        catalog.putSettings(newSettings.toCatalog());
        AtomicFiles.write(classListFile(), newSettings.classList().getBytes(StandardCharsets.UTF_8));
        settings = newSettings;
    }

    /** The project's held-out folder and descriptions source for training runs. */
    public synchronized TrainingInputs trainingInputs() {
        return trainingInputs;
    }

    /** Replaces the project's held-out folder and descriptions source in the catalog. */
    public void saveTrainingInputs(TrainingInputs inputs) throws IOException {
        catalog.putSettings(inputs.toCatalog());
        synchronized (this) {
            trainingInputs = inputs;
        }
    }

    /** The class list file that runs of this project read. */
    public Path classListFile() {
        return directory().resolve(CLASS_LIST_FILE);
    }

    /** The labeled shots file that runs of this project read; it exists once a shot was added. */
    public Path shotsFile() {
        return directory().resolve(SHOTS_FILE);
    }

    /** The labeled shots the user vouched for, corrected or imported. */
    public List<ProjectCatalog.Shot> shots() throws IOException {
        return catalog.shots();
    }

    /** Adds (or replaces) the labeled shot of {@code image}: class {@code label}, from {@code source}. */
    public void putShot(Path image, String label, String source) throws IOException {
        catalog.putShot(new ProjectCatalog.Shot(image.toAbsolutePath().normalize().toString(), label, source));
        writeShotsFile();
    }

    /** Removes the labeled shot of {@code image}, if there is one. */
    public void removeShot(Path image) throws IOException {
        catalog.removeShot(image.toAbsolutePath().normalize().toString());
        writeShotsFile();
    }

    /**
     * Imports labeled shots from a CSV of path,label rows or a folder of class subfolders, checked against the
     * project's classes. Returns how many were imported.
     */
    public int importShots(Path source) throws IOException {
        ClassList classes = ClassList.parse(settings.classList());
        List<LabeledShots.Shot> read = LabeledShots.read(source, classes, Path.of(settings.images()));
        for (LabeledShots.Shot shot : read) {
            catalog.putShot(new ProjectCatalog.Shot(shot.path().toAbsolutePath().normalize().toString(),
                    classes.names().get(shot.label()), "imported from " + source));
        }
        writeShotsFile();
        return read.size();
    }

    /**
     * The inputs a run of this project starts from, as {@link RunRecord} names them: the model, the image folder, the
     * class list file, the templates and, when the project has labeled shots, the shots file.
     */
    public Map<String, String> runInputs() throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put(RunRecord.INPUT_MODEL, settings.model());
        inputs.put(RunRecord.INPUT_IMAGES, Path.of(settings.images()).toAbsolutePath().toString());
        inputs.put(RunRecord.INPUT_CLASSES, classListFile().toAbsolutePath().toString());
        inputs.put(RunRecord.INPUT_TEMPLATES, settings.templates());
        if (!shots().isEmpty()) {
            inputs.put(RunRecord.INPUT_SHOTS, shotsFile().toAbsolutePath().toString());
        }
        return inputs;
    }

    /**
     * The window settings this project remembers (the open tab, dividers, the gallery's order, the run shown), as
     * they were when it was opened or last saved.
     */
    public synchronized Map<String, String> uiSettings() {
        return Map.copyOf(uiSettings);
    }

    /** Remembers window settings of this project. */
    public void putUiSettings(Map<String, String> values) throws IOException {
        Map<String, String> prefixed = new LinkedHashMap<>();
        values.forEach((key, value) -> prefixed.put(UI_PREFIX + key, value));
        catalog.putSettings(prefixed);
        synchronized (this) {
            uiSettings.putAll(values);
        }
    }

    @Override
    public void close() throws IOException {
        catalog.close();
    }

    /** Rewrites {@code shots.csv} from the catalog, so that a run reads exactly the catalog's shots. */
    private void writeShotsFile() throws IOException {
        List<ProjectCatalog.Shot> shots = catalog.shots();
        if (shots.isEmpty()) {
            Files.deleteIfExists(shotsFile());
            return;
        }
        CsvTable.write(shotsFile(), List.of("path", "label"), sink -> {
            for (ProjectCatalog.Shot shot : shots) {
                sink.row(List.of(shot.path(), shot.label()));
            }
        });
    }
}
