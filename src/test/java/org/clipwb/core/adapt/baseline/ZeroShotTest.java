package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.head.CosineHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroShotTest {
    @TempDir
    Path temp;

    @Test
    void isTheCosineHeadOfTheClassWeightsWithPhaseZerosSignals() throws Exception {
        ZeroShot method = new ZeroShot();
        CosineHead head = (CosineHead) BaselineRuns.run(method, DATA, BaselineRuns.settings(method, "labels.k=12"),
                temp.resolve("run"), event -> { });
        assertSame(DATA.classWeights(), head.classWeights());
        assertEquals(DATA.logitScale(), head.scale());
        assertEquals(BaselineRuns.zeroShotTestAccuracy(), BaselineRuns.testAccuracy(head));

        List<PhaseSignals> signals = new RunSignals(temp.resolve("run")).phases();
        assertEquals(List.of("labels"), signals.stream().map(PhaseSignals::phase).toList());
        assertEquals(48, signals.get(0).keptCount());
        assertArrayEquals(Predictions.of(head, DATA.target().embeddings()).labels(), signals.get(0).predicted());
        BaselineRuns.assertRoundTrips(head, temp.resolve("saved"));
    }
}
