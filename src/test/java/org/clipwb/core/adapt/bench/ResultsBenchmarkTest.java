package org.clipwb.core.adapt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.bench.ResultsBenchmark.Plan;
import org.clipwb.core.adapt.bench.ResultsBenchmark.RowResult;
import org.clipwb.core.adapt.bench.ResultsBenchmark.TargetResult;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.model.Clip;
import org.clipwb.core.store.ModelStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results benchmark on a tiny draw (fills-shifted, 2 target images and 1 test image per class, one seed, cheap
 * rows): each result is computed once and cached, a rerun computes nothing, {@code --recompute} reruns only the rows
 * it names, and the table shows every row.
 */
class ResultsBenchmarkTest {
    @TempDir
    static Path cacheFolder;
    private static Clip clip;

    @BeforeAll
    static void loadTheDemoModel() throws Exception {
        ModelStore offline = ModelStore.fromEnvironment(Map.of("CLIPWB_CACHE", cacheFolder.toString(),
                "CLIPWB_OFFLINE", "1"));
        clip = Clip.load(offline.resolve(ModelStore.DEFAULT_MODEL, DownloadListener.NONE), ModelStore.DEFAULT_MODEL);
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    @Test
    void computesEachResultOnceAndRecomputesOnlyWhatIsAsked(@TempDir Path work) throws Exception {
        List<ResultsBenchmark.Target> targets = List.of(new ResultsBenchmark.Target(SampleProject.FILLS_SHIFTED, 8, 4));
        List<ResultsBenchmark.RowSpec> rows = List.of(ResultsBenchmark.row("tip-adapter"),
                ResultsBenchmark.ORACLE_LINEAR_PROBE);

        List<String> first = new ArrayList<>();
        List<TargetResult> computed = run(new Plan(targets, rows, 1, false), work, first);
        assertEquals(4, first.size(), String.join("\n", first)); // the draw, then zero-shot (added) and both rows
        assertTrue(first.get(0).contains("8 target and 4 test images"), first.get(0));
        RowResult tip = row(computed, "tip-adapter");
        assertEquals(1, tip.seeds().size());
        assertTrue(tip.seeds().get(0).test() >= 0 && tip.seeds().get(0).test() <= 1);
        assertTrue(row(computed, "llu").seeds().isEmpty());

        List<String> again = new ArrayList<>();
        List<TargetResult> cached = run(new Plan(targets, rows, 1, false), work, again);
        assertEquals(List.of(), again);
        assertEquals(tip.seeds(), row(cached, "tip-adapter").seeds());

        List<String> recomputed = new ArrayList<>();
        run(new Plan(targets, List.of(ResultsBenchmark.row("tip-adapter")), 1, true), work, recomputed);
        assertEquals(2, recomputed.size(), String.join("\n", recomputed));
        assertTrue(recomputed.get(1).contains("tip-adapter"), recomputed.get(1));

        String markdown = ResultsTable.markdown(cached, "./clipwb results --seeds 1", "Tiny.", 1, Optional.empty());
        assertTrue(markdown.contains("| llu | not run |"), markdown);
        assertTrue(markdown.contains("| *oracle-linear-probe (upper bound)* | "), markdown);
        assertTrue(markdown.contains("4 × 2 images; held-out test: 4 × 1"), markdown);
    }

    @Test
    void everyRegisteredMethodIsARowAndUnknownRowsAreNamed() {
        List<String> ids = ResultsBenchmark.rows().stream().map(ResultsBenchmark.RowSpec::id).toList();
        assertEquals("zero-shot", ids.get(0));
        assertTrue(ids.containsAll(org.clipwb.core.adapt.AdaptationMethods.ids()), ids.toString());
        assertEquals(List.of("llu-4-shots", "oracle-linear-probe", "oracle-full-fine-tuning", "oracle-perfect-filter"),
                ids.subList(ids.size() - 4, ids.size()),
                "the few-shot row, then the oracles, come last");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsBenchmark.row("lu"));
        assertTrue(e.getMessage().contains("llu"), e.getMessage());
    }

    @Test
    void aCodeVersionDependsOnThePackagesCode() {
        String engine = CodeVersion.of(List.of("org.clipwb.core.adapt"));
        assertEquals(engine, CodeVersion.of(List.of("org.clipwb.core.adapt")));
        assertNotEquals(engine, CodeVersion.of(List.of("org.clipwb.core.adapt", "org.clipwb.core.adapt.llu")));
        assertThrows(IllegalStateException.class, () -> CodeVersion.of(List.of("org.clipwb.no.such.package")));
    }

    private static List<TargetResult> run(Plan plan, Path work, List<String> log) throws Exception {
        return ResultsBenchmark.run(clip, plan, work, null, new ResultsBenchmark.Descriptions("none",
                (classifier, target, project) -> names -> {
                    throw new IllegalStateException("no row of this test uses descriptions");
                }), log::add);
    }

    private static RowResult row(List<TargetResult> results, String id) {
        return results.get(0).rows().stream().filter(r -> r.row().id().equals(id)).findFirst().orElseThrow();
    }
}
