package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipwb.core.demo.SampleProject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clipwb sample-projects}: regenerates the sample projects from the demo world. */
@Command(name = "sample-projects", mixinStandardHelpOptions = true,
        description = "Generates the sample projects (images with class subfolders as evaluation labels, "
                + "classes.txt, templates.txt) from the procedural demo world; the output is the same on every run.")
final class SampleProjectsCommand implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "sample-projects", paramLabel = "DIR",
            description = "Where the project folders go (default: ${DEFAULT-VALUE}).")
    Path output;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Projects to generate (default: all of them: "
            + "shapes-shifted, colours-cluttered).")
    List<String> names;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<SampleProject> projects;
        try {
            projects = names == null || names.isEmpty() ? Arrays.asList(SampleProject.values())
                    : names.stream().map(SampleProject::byName).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (SampleProject project : projects) {
            Path dir = output.resolve(project.folderName());
            project.generate(dir);
            out.println("Generated " + dir + " (" + project.task().classNames().size() + " classes)");
        }
        return 0;
    }
}
