package org.clipwb.core.adapt.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Accuracy;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.flyp.FillsFixture;
import org.clipwb.core.model.Clip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oracle's full fine-tuning on a tiny draw: it learns the true labels, and it refuses data without them. */
class OracleFineTuneTest {
    @TempDir
    Path folders;

    @Test
    void fineTuningOnTheTrueLabelsFitsTheTargetAndIsMeasuredOnTheTestSet() throws Exception {
        try (Clip clip = FillsFixture.tinyClip()) {
            AdaptationData data = FillsFixture.data(clip, folders, 3);
            int classes = data.classCount();
            double zeroShot = Accuracy.balanced(AdaptationRunner.predictions(new CosineHead(data.classWeights(),
                    data.logitScale()).probabilities(data.target().embeddings())), data.target().labels(), classes)
                    .orElseThrow();
            List<String> log = new ArrayList<>();
            OracleFineTune.Result result = OracleFineTune.run(data, new OracleFineTune.Options(8, 4, 3e-3, 0.1, 0.9),
                    1, log::add);
            assertEquals(8, log.size(), log.toString());
            assertTrue(result.targetBalancedAccuracy() > zeroShot, "trained on its true labels, the target is fitted "
                    + "better than zero-shot: " + result.targetBalancedAccuracy() + " vs " + zeroShot + "; " + log);
            assertTrue(result.testBalancedAccuracy() >= 0 && result.testBalancedAccuracy() <= 1);
            assertTrue(result.seconds() > 0);
            assertTrue(!AdaptationMethods.ids().contains("oracle") && AdaptationMethods.ids().stream()
                    .noneMatch(id -> id.contains("oracle")), "never offered as a method");

            int[] unknown = new int[data.target().size()];
            java.util.Arrays.fill(unknown, -1);
            LabeledSet unlabelled = new LabeledSet(data.target().keys(), data.target().embeddings(), unknown);
            AdaptationData withoutLabels = new AdaptationData(data.classes(), unlabelled, data.classWeights(),
                    data.logitScale(), LabeledSet.empty(), data.test()).withImages(data.images().orElseThrow());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> OracleFineTune.run(withoutLabels,
                    OracleFineTune.Options.DEFAULTS, 1, line -> { })).getMessage().contains("class subfolders"));
            AdaptationData withoutTest = new AdaptationData(data.classes(), data.target(), data.classWeights(),
                    data.logitScale(), LabeledSet.empty(), Optional.empty()).withImages(data.images().orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> OracleFineTune.run(withoutTest,
                    OracleFineTune.Options.DEFAULTS, 1, line -> { }));
        }
    }
}
