package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code clipwb results}: bad options are one-line usage errors, before any model is loaded or anything drawn. */
class ResultsCommandTest {
    private final CliSession cli = new CliSession();

    @Test
    void namesTheKnownRowsAndTargetsAndRefusesContradictoryOptions() {
        assertEquals(2, cli.run("results", "--only", "zero-shot,lu"));
        cli.assertOneLine("no row 'lu' (known: zero-shot, llu,");
        assertEquals(2, cli.run("results", "--targets", "fills-shifted,cats"));
        cli.assertOneLine("no sample project \"cats\"");
        assertEquals(2, cli.run("results", "--recompute"));
        cli.assertOneLine("--recompute needs --only");
        assertEquals(2, cli.run("results", "--table-only", "--only", "llu"));
        cli.assertOneLine("--table-only computes nothing");
        assertEquals(2, cli.run("results", "--seeds", "0"));
        cli.assertOneLine("need at least one seed, not 0");
    }
}
