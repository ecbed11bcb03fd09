package org.clipwb.core.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.util.WorkbenchPaths;

/**
 * Where a sample project's folder is, generating it on first use so that it opens with no files of the user's own.
 * The rule, for a project named {@code NAME}:
 * <ol>
 *   <li>{@code <working dir>/sample-projects/NAME} when it is complete: the copy the repository ships, as it is
 *       (never written to);</li>
 *   <li>otherwise {@code <workbench home>/sample-projects/NAME}, generated there by {@link SampleProject#generate}
 *       when it is missing or incomplete, and reused as it is once complete.</li>
 * </ol>
 * A folder is complete when it holds {@code classes.txt}, {@code templates.txt} and {@code images/} with a folder
 * per class of the project. Generation writes the two lists last, so an interrupted one is incomplete and is
 * generated again; it is deterministic and writes each file atomically, so two processes generating the same
 * project at once leave the same complete folder.
 */
public final class SampleProjects {
    /** The folder holding the projects, in the working directory and in the workbench home. */
    public static final String FOLDER = "sample-projects";

    private final Path workingDir;
    private final Path home;

    /**
     * @param workingDir where a shipped copy may be (the repository root when started from a clone)
     * @param home       the workbench home, where projects are generated when there is no complete copy
     */
    public SampleProjects(Path workingDir, Path home) {
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
    }

    /** The process's working directory and the workbench home of {@link WorkbenchPaths#home()}. */
    public static SampleProjects fromEnvironment() {
        return new SampleProjects(Path.of(""), WorkbenchPaths.home());
    }

    /**
     * The folder of {@code project} by the rule above, generating it first when needed (1 to 2 seconds).
     *
     * @param beforeGenerating told the folder before a generation starts, e.g. to say so in a status line
     * @throws IOException when the project cannot be generated; the message names the folder
     */
    public ProjectFolder locate(SampleProject project, Consumer<Path> beforeGenerating) throws IOException {
        ProjectFolder shipped = new ProjectFolder(workingDir.resolve(FOLDER).resolve(project.folderName()));
        if (isComplete(project, shipped)) {
            return shipped;
        }
        ProjectFolder generated = new ProjectFolder(home.resolve(FOLDER).resolve(project.folderName()));
        if (!isComplete(project, generated)) {
            beforeGenerating.accept(generated.dir());
            try {
                project.generate(generated.dir());
            } catch (IOException e) {
                throw new IOException("Cannot generate the sample project " + project.folderName() + " in "
                        + generated.dir() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); CLIPWB_HOME chooses another folder for the workbench's files", e);
            }
        }
        return generated;
    }

    /** Whether {@code folder} holds both lists and an image folder per class of {@code project}. */
    public static boolean isComplete(SampleProject project, ProjectFolder folder) {
        return Files.isRegularFile(folder.classList()) && Files.isRegularFile(folder.templates())
                && project.task().classNames().stream().allMatch(name -> Files.isDirectory(folder.images()
                        .resolve(name)));
    }
}
