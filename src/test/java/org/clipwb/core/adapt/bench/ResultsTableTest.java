package org.clipwb.core.adapt.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.bench.ResultsBenchmark.RowResult;
import org.clipwb.core.adapt.bench.ResultsBenchmark.TargetResult;
import org.clipwb.core.demo.SampleProject;
import org.junit.jupiter.api.Test;

/** The table's arithmetic: mean ± sample standard deviation, Δ paired seed by seed, missing seeds and rows. */
class ResultsTableTest {
    @Test
    void showsMeanSpreadAndPairedDeltas() {
        ResultsBenchmark.Target target = new ResultsBenchmark.Target(SampleProject.SHAPES_SHIFTED, 1200, 400);
        RowResult zeroShot = new RowResult(ResultsBenchmark.row("zero-shot"),
                List.of(result("zero-shot", 1, 0.60, 0.50, 0.1), result("zero-shot", 2, 0.62, 0.54, 0.3)));
        RowResult llu = new RowResult(ResultsBenchmark.row("llu"),
                List.of(result("llu", 1, 0.70, 0.55, 2), result("llu", 2, 0.66, 0.61, 4)));
        RowResult oneSeed = new RowResult(ResultsBenchmark.row("tip-adapter"), List.of(result("tip-adapter", 2,
                0.52, 0.44, 1)));
        RowResult missing = new RowResult(ResultsBenchmark.ORACLE_LINEAR_PROBE, List.of());
        String md = ResultsTable.markdown(List.of(new TargetResult(target, List.of(zeroShot, llu, oneSeed, missing))),
                "./clipwb results", "Test.", 2, Optional.empty());
        assertTrue(md.contains("## shapes-shifted: the saturated control, where no method may lose more than 2 "
                + "points"), md);
        assertTrue(md.contains("8 × 150 images; held-out test: 8 × 50"), md);
        assertTrue(md.contains("| zero-shot | 61.0 ± 1.4 |  | 52.0 ± 2.8 |  | 0.2 ± 0.1 |"), md);
        // Δ target: (0.10 + 0.04) / 2; Δ test: (0.05 + 0.07) / 2.
        assertTrue(md.contains("| llu | 68.0 ± 2.8 | +7.0 | 58.0 ± 4.2 | +6.0 | 3.0 ± 1.4 |"), md);
        assertTrue(md.contains("| tip-adapter (1 of 2 seeds) | 52.0 | -10.0 | 44.0 | -10.0 | 1.0 |"), md);
        assertTrue(md.contains("| *oracle-linear-probe (upper bound)* | not run |"), md);
        assertTrue(md.contains("./clipwb results\n```"), md);
        assertFalse(md.contains("## Training cost"), "no measurement, no section: " + md);
    }

    @Test
    void placesTheTrainingCostTableAfterTheTargetsAndBeforeHowToRegenerate() {
        ResultsBenchmark.Target target = new ResultsBenchmark.Target(SampleProject.SHAPES_SHIFTED, 1200, 400);
        TrainingCostTable.Measured cost = new TrainingCostTable.Measured("k", "random ViT-B-32, 151.3 M parameters",
                "CPU", 32, 3, 2, "2026-11-29T15:00:00Z", List.of(new TrainingCostTable.Row("embedding", 0.05, 0.1,
                        1_470_000_000L)));
        String md = ResultsTable.markdown(List.of(new TargetResult(target, List.of())), "./clipwb results", "Test.",
                3, Optional.of(cost));
        int targets = md.indexOf("## shapes-shifted");
        int costs = md.indexOf("## Training cost per image of a model of real size");
        int regenerate = md.indexOf("## How to regenerate");
        assertTrue(targets >= 0 && targets < costs && costs < regenerate, md);
        assertTrue(md.contains("| embedding (no gradients) | every method: zero-shot, "), md);
        assertTrue(md.contains("| 0.050 | 0.100 | 60 s | 1.47 GB |"), md);
    }

    private static ResultCache.Result result(String row, long seed, double target, double test, double seconds) {
        return new ResultCache.Result(new ResultCache.Key("draw", "model", row, row, "code", seed), "run", target,
                test, seconds, "2026-11-29T00:00:00Z");
    }
}
