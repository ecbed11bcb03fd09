package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipwb results}: bad options are one-line usage errors, before any model is loaded or anything drawn; the
 * document shows the training-cost table the work folder keeps.
 */
class ResultsCommandTest {
    private final CliSession cli = new CliSession();

    @Test
    void namesTheKnownRowsAndTargetsAndRefusesContradictoryOptions() {
        assertEquals(2, cli.run("results", "--only", "zero-shot,lu"));
        cli.assertOneLine("no row 'lu' (known: zero-shot, llu,");
        assertEquals(2, cli.run("results", "--only", "training-cots"));
        cli.assertOneLine("oracle-perfect-filter; and training-cost for the training-cost table)");
        assertEquals(2, cli.run("results", "--targets", "fills-shifted,cats"));
        cli.assertOneLine("no sample project \"cats\"");
        assertEquals(2, cli.run("results", "--recompute"));
        cli.assertOneLine("--recompute needs --only");
        assertEquals(2, cli.run("results", "--table-only", "--only", "llu"));
        cli.assertOneLine("--table-only computes nothing");
        assertEquals(2, cli.run("results", "--seeds", "0"));
        cli.assertOneLine("need at least one seed, not 0");
        assertEquals(2, cli.run("results", "--cost-architecture", "ViT-X"));
        cli.assertOneLine("unknown architecture \"ViT-X\" (known: ViT-B-32, ViT-B-16, ViT-L-14)");
    }

    @Test
    void tableOnlyWritesTheKeptTrainingCostTableWithoutMeasuring(@TempDir Path work) throws Exception {
        Files.writeString(work.resolve("training-cost.json"), """
                {"key": "ViT-B-32 batch 32 steps 3 cores 2 code 0", "model": "random ViT-B-32, 151.3 M parameters",
                 "device": "CPU", "batchSize": 32, "steps": 3, "cores": 2, "finished": "2026-11-29T15:00:00Z",
                 "rows": [{"mode": "image", "secondsPerImage": 0.35, "cpuSecondsPerImage": 0.68,
                           "peakResidentBytes": 4140000000}]}
                """);
        Path output = work.resolve("results.md");
        assertEquals(0, cli.run("results", "--table-only", "--targets", "fills-shifted", "--seeds", "1", "--work",
                work.toString(), "--output", output.toString()));
        String md = Files.readString(output);
        assertTrue(md.contains("| fill (solid, outlined, striped, dotted)") || md.contains("## fills-shifted"), md);
        assertTrue(md.contains("| fine-tuning the image tower (AdamW) | CoFT's and CoFT+'s Phase II"), md);
        assertTrue(md.contains("| 0.350 | 0.680 | 7 min | 4.14 GB |"), md);
        assertFalse(Files.exists(work.resolve("models")), "--table-only measures nothing");
    }
}
