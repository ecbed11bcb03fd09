package org.clipwb.app.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.zeroshot.ZeroShotForm;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.demo.SampleProjects;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.CommentedLines;

/**
 * Opening, creating and closing projects, on the FX thread. The open project owns the zero-shot form's inputs: opening
 * a project replaces every input with the project's own (none is carried over from the project before), and the
 * inputs are saved back to the project's catalog whenever a run starts and when the project is closed. Catalog and
 * file work runs in the background.
 */
public final class ProjectViewModel {
    private final WorkbenchContext context;
    private final ZeroShotForm form;
    private final SampleProjects sampleProjects;
    private final Path projectsHome;
    private final RecentProjects recent;
    private final ObservableList<Path> recentList = FXCollections.observableArrayList();
    private final StringBinding title;
    private Supplier<Map<String, String>> windowState = Map::of;

    /**
     * @param projectsHome where new projects go by default, and the catalogs of the sample projects
     */
    public ProjectViewModel(WorkbenchContext context, ZeroShotForm form, SampleProjects sampleProjects,
            Path projectsHome, RecentProjects recent) {
        this.context = context;
        this.form = form;
        this.sampleProjects = sampleProjects;
        this.projectsHome = projectsHome;
        this.recent = recent;
        recentList.setAll(recent.list());
        title = Bindings.createStringBinding(() -> context.project() == null ? "No project"
                : context.project().name(), context.projectProperty());
    }

    /** What the window remembers per project (tab, dividers, order), saved with the inputs when a project closes. */
    public void setWindowState(Supplier<Map<String, String>> state) {
        windowState = state;
    }

    /** The projects opened lately, newest first. */
    public ObservableList<Path> recentProjects() {
        return recentList;
    }

    /** The open project's name, or "No project". */
    public StringBinding titleProperty() {
        return title;
    }

    /** Where a new project named {@code name} goes unless the user picks another folder. */
    public Path defaultLocation(String name) {
        return projectsHome.resolve(name.strip().replaceAll("[^A-Za-z0-9._-]+", "-"));
    }

    /** Opens the project in {@code directory} in the background, then tells {@code opened}. */
    public void open(Path directory, Consumer<WorkbenchProject> opened) {
        start("Cannot open the project " + directory, new Task<>() {
            @Override
            protected WorkbenchProject call() throws IOException {
                updateMessage("Opening the project " + directory);
                if (!Files.isRegularFile(directory.resolve(ProjectCatalog.FILE))) {
                    throw new IOException(directory + " is not a workbench project (it has no "
                            + ProjectCatalog.FILE + "). Use Project › New project to make one");
                }
                return WorkbenchProject.open(directory);
            }
        }, opened);
    }

    /**
     * Creates a project in {@code directory} with {@code settings} and, when {@code shots} is not null, imports its
     * labeled shots (a CSV of path,label rows or a folder of class subfolders); then opens it.
     */
    public void create(Path directory, ProjectSettings settings, Path shots, Consumer<WorkbenchProject> opened) {
        start("Cannot create the project " + directory, new Task<>() {
            @Override
            protected WorkbenchProject call() throws IOException {
                updateMessage("Creating the project " + directory);
                if (Files.isRegularFile(directory.resolve(ProjectCatalog.FILE))) {
                    throw new IOException(directory + " already holds a project: open it, or choose another folder");
                }
                WorkbenchProject project = WorkbenchProject.create(directory, settings);
                try {
                    if (shots != null) {
                        updateMessage("Importing the labeled shots of " + shots);
                        project.importShots(shots);
                    }
                    return project;
                } catch (IOException | RuntimeException e) {
                    project.close();
                    throw e;
                }
            }
        }, opened);
    }

    /**
     * Opens a sample project as a project: its images, classes and templates, with the bundled demo model it was
     * made for. The sample folder is found or generated (see {@link SampleProjects}) and never written to; the
     * project's catalog is in the projects folder under the sample's name, so edits and runs are kept there.
     */
    public void openSample(SampleProject sample, Consumer<WorkbenchProject> opened) {
        String name = sample.folderName();
        start("Cannot open the sample project " + name, new Task<>() {
            @Override
            protected WorkbenchProject call() throws IOException {
                updateMessage("Opening the sample project " + name);
                ProjectFolder folder = sampleProjects.locate(sample,
                        dir -> updateMessage("Generating the sample project " + name + " in " + dir));
                Path directory = projectsHome.resolve(name);
                if (Files.isRegularFile(directory.resolve(ProjectCatalog.FILE))) {
                    WorkbenchProject project = WorkbenchProject.open(directory);
                    if (!project.settings().images().isEmpty()) {
                        return project;
                    }
                    project.close();
                }
                return WorkbenchProject.create(directory, new ProjectSettings(folder.images().toString(),
                        CommentedLines.readUtf8(folder.classList()), folder.templates().toString(),
                        ModelStore.DEFAULT_MODEL, null));
            }
        }, opened);
    }

    /** Saves the form's inputs to the open project's catalog, in the background; nothing without a project. */
    public void saveInputs() {
        WorkbenchProject project = context.project();
        if (project == null) {
            return;
        }
        ProjectSettings settings = formSettings();
        context.runInBackground("Cannot save the inputs of the project " + project.name(), new Task<Void>() {
            @Override
            protected Void call() throws IOException {
                project.save(settings);
                return null;
            }
        });
    }

    /** Saves the inputs and closes the open project, in the background; the form keeps its inputs as a draft. */
    public void closeProject() {
        WorkbenchProject project = context.project();
        if (project == null) {
            return;
        }
        ProjectSettings settings = formSettings();
        Map<String, String> window = windowState.get();
        context.setProject(null);
        context.runInBackground("Cannot close the project " + project.name(), new Task<Void>() {
            @Override
            protected Void call() throws IOException {
                try (project) {
                    project.save(settings);
                    project.putUiSettings(window);
                }
                return null;
            }
        });
    }

    /** At exit: saves the inputs and closes the open project now, on the calling thread. */
    public void closeNow() throws IOException {
        WorkbenchProject project = context.project();
        if (project != null) {
            ProjectSettings settings = formSettings();
            Map<String, String> window = windowState.get();
            context.setProject(null);
            try (project) {
                project.save(settings);
                project.putUiSettings(window);
            }
        }
    }

    /** The form's inputs as project settings. */
    public ProjectSettings formSettings() {
        return new ProjectSettings(form.imageFolderProperty().get(), form.classListProperty().get(),
                form.templatesProperty().get(), form.modelSpecProperty().get(), form.precisionProperty().get());
    }

    private void start(String failure, Task<WorkbenchProject> task, Consumer<WorkbenchProject> opened) {
        task.setOnSucceeded(event -> {
            adopt(task.getValue());
            opened.accept(task.getValue());
        });
        context.runInBackground(failure, task);
    }

    /** Makes {@code project} the open one: the previous one is saved and closed, the form takes the new inputs. */
    private void adopt(WorkbenchProject project) {
        closeProject();
        context.setProject(project);
        ProjectSettings settings = project.settings();
        form.imageFolderProperty().set(settings.images());
        form.modelSpecProperty().set(settings.model());
        form.precisionProperty().set(settings.precision());
        form.templatesProperty().set(settings.templates());
        form.classListProperty().set(settings.classList());
        recent.add(project.directory());
        recentList.setAll(recent.list());
    }
}
