package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code clipwb} commands in-process for tests, capturing standard output and error. */
final class CliSession {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs one command line and returns its exit status. */
    int run(String... args) {
        return ClipWorkbenchCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** Checks that standard error holds exactly one line containing {@code expected}, then clears it. */
    void assertOneLine(String expected) {
        String text = err.toString();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(expected), text);
        err.getBuffer().setLength(0);
    }
}
