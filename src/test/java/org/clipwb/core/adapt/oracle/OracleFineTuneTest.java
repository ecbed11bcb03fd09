package org.clipwb.core.adapt.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Accuracy;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.flyp.FillsFixture;
import org.clipwb.core.adapt.label.ClassPrior;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle's full fine-tuning on a tiny draw: it learns the true labels, and it refuses data without them; its
 * perfect-filter variant keeps exactly the images whose class-balanced pseudo-label is right.
 */
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
            OracleFineTune.Result result = OracleFineTune.run(data, new OracleFineTune.Options(8, 4, 3e-3, 0.1, 0.9,
                    OracleFineTune.Training.EVERY_IMAGE),
                    1, log::add);
            assertEquals(8, log.size(), log.toString());
            assertTrue(result.targetBalancedAccuracy() > zeroShot, "trained on its true labels, the target is fitted "
                    + "better than zero-shot: " + result.targetBalancedAccuracy() + " vs " + zeroShot + "; " + log);
            assertTrue(result.testBalancedAccuracy() >= 0 && result.testBalancedAccuracy() <= 1);
            assertTrue(result.seconds() > 0);
            assertTrue(!AdaptationMethods.ids().contains("oracle") && AdaptationMethods.ids().stream()
                    .noneMatch(id -> id.contains("oracle")), "never offered as a method");

            int[] unknown = new int[data.target().size()];
            Arrays.fill(unknown, -1);
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

    /**
     * Two classes along two axes, logit scale 10; images at angles 0, 0.3, 0.6 and π/2 from class 0's axis. Zero-shot
     * predicts 0, 0, 0, 1; toward uniform classes the weights shift the logit difference by about −4.6, which moves
     * the third image (difference 2.6) to class 1 and keeps the second (6.6) in class 0.
     */
    @Test
    void thePerfectFilterKeepsTheImagesWhoseClassBalancedPseudoLabelIsRight() {
        double[] angles = {0, 0.3, 0.6, Math.PI / 2};
        float[][] embeddings = new float[angles.length][];
        for (int i = 0; i < angles.length; i++) {
            embeddings[i] = new float[] {(float) Math.cos(angles[i]), (float) Math.sin(angles[i])};
        }
        float[][] axes = {{1, 0}, {0, 1}};
        ClassList classes = ClassList.parse("a\nb\n");
        Function<int[], AdaptationData> withTruth = truth -> new AdaptationData(classes,
                new LabeledSet(List.of("0", "1", "2", "3"), embeddings, truth), axes, 10f, LabeledSet.empty(),
                Optional.empty());

        AdaptationData balancedRight = withTruth.apply(new int[] {0, 0, 1, 1});
        assertEquals(List.of(0, 0, 1, 1), boxed(OracleFineTune.Training.RIGHT_PSEUDO_LABELS.labels(balancedRight)),
                "every balanced pseudo-label is right, the third only after balancing");
        AdaptationData someWrong = withTruth.apply(new int[] {0, 1, 1, -1});
        assertEquals(List.of(0, -1, 1, -1), boxed(OracleFineTune.Training.RIGHT_PSEUDO_LABELS.labels(someWrong)),
                "a wrong pseudo-label and an unknown truth are left out");
        assertEquals(List.of(0, 1, 1, -1), boxed(OracleFineTune.Training.EVERY_IMAGE.labels(someWrong)));
    }

    @Test
    void thePerfectFilterTrainsOnTheRightOnesAndRefusesATargetWithNone() throws Exception {
        try (Clip clip = FillsFixture.tinyClip()) {
            AdaptationData data = FillsFixture.data(clip, folders, 3);
            OracleFineTune.Options options = new OracleFineTune.Options(2, 4, 3e-3, 0.1, 0.9,
                    OracleFineTune.Training.RIGHT_PSEUDO_LABELS);
            List<String> log = new ArrayList<>();
            OracleFineTune.Result result = OracleFineTune.run(data, options, 1, log::add);
            assertEquals(2, log.size(), log.toString());
            assertTrue(result.targetBalancedAccuracy() >= 0 && result.testBalancedAccuracy() >= 0);

            int[] pseudo = AdaptationRunner.predictions(ClassPrior.uniform(new CosineHead(data.classWeights(),
                    data.logitScale()).probabilities(data.target().embeddings())));
            int[] allWrong = Arrays.stream(pseudo).map(p -> (p + 1) % data.classCount()).toArray();
            AdaptationData noneRight = new AdaptationData(data.classes(), new LabeledSet(data.target().keys(),
                    data.target().embeddings(), allWrong), data.classWeights(), data.logitScale(), LabeledSet.empty(),
                    data.test()).withImages(data.images().orElseThrow());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OracleFineTune.run(noneRight, options, 1, line -> { }));
            assertTrue(e.getMessage().contains("no class-balanced zero-shot pseudo-label"), e.getMessage());
        }
    }

    private static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
