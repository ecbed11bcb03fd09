package org.clipwb.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code clipwb}: the workbench's engine from the command line. */
@Command(name = "clipwb", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Adapt CLIP vision-language models to your own photos without labels.",
        subcommands = {EmbedCommand.class, ZeroShotCommand.class, AdaptCommand.class, RunsCommand.class, ResultsCommand.class,
                ModelsCommand.class, BenchmarkCommand.class,
                PretrainDemoCommand.class, SampleProjectsCommand.class,
                CommandLine.HelpCommand.class})
public final class ClipWorkbenchCli implements Runnable {
    /** Exit status for a failure of the work itself (bad file, failed download, ...). */
    static final int EXIT_FAILURE = 1;
    /** Exit status for bad usage (unknown option, missing argument, ...). */
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: embed, zero-shot, adapt, runs, models, benchmark, sample-projects or pretrain-demo");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit status (for tests and {@link #main}). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ClipWorkbenchCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            String command = exception.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + exception.getMessage() + " (see '" + command + " --help')");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + describe(exception));
            return EXIT_FAILURE;
        });
        return commandLine.execute(args);
    }

    /** One line for the user: the message of an expected failure, the type as well for an unexpected one. */
    private static String describe(Exception exception) {
        if (exception instanceof InterruptedException) {
            return "interrupted";
        }
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        boolean expected = exception instanceof java.io.IOException || exception instanceof IllegalArgumentException
                || exception instanceof IllegalStateException;
        return expected ? message : exception.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }
}
