package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.head.TipAdapterHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TipAdapterTest {
    @TempDir
    Path temp;

    private final TipAdapter method = new TipAdapter();

    @Test
    void withoutShotsTheCacheHoldsThePseudoLabelsAndNothingIsSearched() throws Exception {
        List<ProgressEvent> events = new ArrayList<>();
        TipAdapterHead head = (TipAdapterHead) BaselineRuns.run(method, DATA, BaselineRuns.settings(method,
                "labels.k=12"), temp.resolve("run"), events::add);
        assertEquals(48, head.keys().length);
        assertEquals(1.17, head.alpha());
        assertEquals(1.0, head.beta());
        ProgressEvent cacheEvent = events.get(events.size() - 1);
        assertTrue(cacheEvent.message().contains("no labeled shots to search on"), cacheEvent.message());
        assertEquals(48, cacheEvent.labels().orElseThrow().kept());
        assertTrue(cacheEvent.labels().orElseThrow().accuracyOfAll().isPresent());
        List<PhaseSignals> signals = new RunSignals(temp.resolve("run")).phases();
        assertEquals(List.of("labels", "cache"), signals.stream().map(PhaseSignals::phase).toList());
        // The cached images are the selected ones, with their pseudo-labels as values.
        PhaseSignals labels = signals.get(0);
        int cached = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.kept()[i]) {
                assertArrayEquals(DATA.target().embeddings()[i], head.keys()[cached]);
                assertEquals(1f, head.values()[cached][labels.predicted()[i]]);
                cached++;
            }
        }
        assertArrayEquals(labels.kept(), signals.get(1).kept());
        assertArrayEquals(Predictions.of(head, DATA.target().embeddings()).labels(), signals.get(1).predicted());

        double zeroShot = BaselineRuns.zeroShotTestAccuracy();
        assertTrue(BaselineRuns.testAccuracy(head) > zeroShot, BaselineRuns.testAccuracy(head) + " vs " + zeroShot);
        BaselineRuns.assertRoundTrips(head, temp.resolve("saved"));
    }

    @Test
    void withShotsTheCacheHoldsTheShotsAndAlphaAndBetaAreSearchedOnThem() throws Exception {
        AdaptationData data = BaselineRuns.withShots(20);
        TipAdapterHead head = (TipAdapterHead) BaselineRuns.run(method, data, BaselineRuns.settings(method),
                temp.resolve("run"), event -> { });
        assertEquals(20, head.keys().length);
        assertArrayEquals(data.shots().embeddings()[3], head.keys()[3]);
        TipAdapter.Search search = TipAdapter.search(data.shots(), data, TipAdapter.grid(3, 20),
                TipAdapter.grid(7, 200));
        assertEquals(search.best(), new TipAdapter.Kernel(head.alpha(), head.beta()));
        assertNotEquals(new TipAdapter.Kernel(1.17, 1), search.best());
        assertTrue(BaselineRuns.testAccuracy(head) >= BaselineRuns.zeroShotTestAccuracy());
    }

    @Test
    void withShotsAndNoSearchAlphaAndBetaAreTheSettings() throws Exception {
        TipAdapterHead head = (TipAdapterHead) BaselineRuns.run(method, BaselineRuns.withShots(20),
                BaselineRuns.settings(method, "tip.search=false", "tip.alpha=2.5", "tip.beta=4"), temp.resolve("run"),
                event -> { });
        assertEquals(new TipAdapter.Kernel(2.5, 4), new TipAdapter.Kernel(head.alpha(), head.beta()));
    }

    @Test
    void aResumedRunRebuildsTheSameHead() throws Exception {
        AdaptationData data = BaselineRuns.withShots(20);
        TipAdapterHead first = (TipAdapterHead) BaselineRuns.run(method, data, BaselineRuns.settings(method),
                temp.resolve("run"), event -> { });
        List<ProgressEvent> events = new ArrayList<>();
        TipAdapterHead again = (TipAdapterHead) BaselineRuns.run(method, data, BaselineRuns.settings(method),
                temp.resolve("run"), events::add);
        assertTrue(events.stream().allMatch(e -> e.message().contains("already done")), events.toString());
        BaselineRuns.assertHeadsEqual(first, again);
    }
}
