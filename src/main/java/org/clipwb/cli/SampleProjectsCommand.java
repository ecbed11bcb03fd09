package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipwb.core.demo.SampleProject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code clipwb sample-projects}: regenerates the sample projects from the demo world, or draws variants of them. */
@Command(name = "sample-projects", mixinStandardHelpOptions = true,
        description = {"Generates the sample projects (images with class subfolders as evaluation labels, "
                + "classes.txt, templates.txt) from the procedural demo world; the output is the same on every run.",
                "With --seed or --per-class it draws another set of the same kind of images instead (a new "
                        + "exercise, a held-out set); the same options give the same images."})
final class SampleProjectsCommand implements Callable<Integer> {
    private static final String DEFAULT_OUTPUT = "sample-projects";

    @Option(names = "--output", defaultValue = DEFAULT_OUTPUT, paramLabel = "DIR",
            description = "Where the project folders go, one per project (default: ${DEFAULT-VALUE}, the shipped "
                    + "copies; a variant needs a folder of its own).")
    Path output;

    @Option(names = "--seed", paramLabel = "S", description = "Draw the scenes from this seed's stream instead of "
            + "the shipped one.")
    Long seed;

    @Option(names = "--per-class", paramLabel = "N",
            description = "Images per class (default: as in the shipped copy).")
    Integer imagesPerClass;

    @Parameters(paramLabel = "NAME", arity = "0..*", completionCandidates = ProjectNames.class,
            description = "Projects to generate (default: all of them: ${COMPLETION-CANDIDATES}).")
    List<String> names;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        boolean variant = seed != null || imagesPerClass != null;
        if (variant && !spec.commandLine().getParseResult().hasMatchedOption("--output")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seed and --per-class need --output DIR: "
                    + "the default, " + DEFAULT_OUTPUT + ", holds the shipped projects");
        }
        List<SampleProject.Variant> draws;
        try {
            List<SampleProject> projects = names == null || names.isEmpty() ? Arrays.asList(SampleProject.values())
                    : names.stream().distinct().map(SampleProject::byName).toList();
            draws = projects.stream().map(this::draw).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (SampleProject.Variant draw : draws) {
            Path dir = output.resolve(draw.project().folderName());
            draw.generate(dir);
            out.println("Generated " + dir + " (" + draw.project().task().classNames().size() + " classes, "
                    + draw.imagesPerClass() + " images each, seed " + draw.seed() + ")");
        }
        return 0;
    }

    /** The shipped draw of {@code project}, with the seed and size the options ask for. */
    private SampleProject.Variant draw(SampleProject project) {
        SampleProject.Variant draw = project.defaultVariant();
        if (seed != null) {
            draw = draw.withSeed(seed);
        }
        return imagesPerClass == null ? draw : draw.withImagesPerClass(imagesPerClass);
    }

    /** The project names, for the help text. */
    static final class ProjectNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(SampleProject.values()).map(SampleProject::folderName).iterator();
        }
    }
}
