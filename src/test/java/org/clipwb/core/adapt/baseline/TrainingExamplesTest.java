package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.Selection;
import org.junit.jupiter.api.Test;
import org.clipwb.core.adapt.label.TrainingExamples;

class TrainingExamplesTest {
    // Pseudo-labels of images 1 and 3: classes 2 and 0.
    private static final PseudoLabels PSEUDO = new PseudoLabels(predicted(), new float[DATA.target().size()],
            new int[] {1, 3});

    private static int[] predicted() {
        int[] predicted = new int[DATA.target().size()];
        predicted[1] = 2;
        return predicted;
    }

    @Test
    void shotsComeFirstThenTheSelectedPseudoLabels() {
        AdaptationData data = BaselineRuns.withShots(2);
        TrainingExamples examples = TrainingExamples.of(data, PSEUDO, TrainingExamples.SHOTS_AND_PSEUDO);
        assertArrayEquals(new int[] {data.shots().labels()[0], data.shots().labels()[1], 2, 0}, examples.labels());
        assertArrayEquals(DATA.target().embeddings()[3], examples.embeddings()[3]);
        assertEquals(2, examples.shots());
        assertEquals(2, examples.pseudoLabels());
        assertEquals(2, IntStream.range(0, DATA.target().size())
                .filter(i -> examples.keptTargets()[i]).count());
        assertEquals("2 pseudo-labels and 2 labeled shots", examples.describe());
    }

    @Test
    void eachSourceTakesWhatItNamesAndWithoutShotsThePseudoLabels() {
        AdaptationData data = BaselineRuns.withShots(2);
        assertEquals(0, TrainingExamples.of(data, PSEUDO, TrainingExamples.PSEUDO).shots());
        assertEquals(2, TrainingExamples.of(data, PSEUDO, TrainingExamples.SHOTS).size());
        assertEquals(0, TrainingExamples.of(data, PSEUDO, TrainingExamples.SHOTS).pseudoLabels());
        assertEquals(2, TrainingExamples.of(DATA, PSEUDO, TrainingExamples.SHOTS).pseudoLabels());
    }

    @Test
    void nothingToLearnFromIsSaidPlainly() {
        PseudoLabels none = PseudoLabels.select(new float[][] {{0.5f, 0.5f}}, Selection.THRESHOLD, 0.9);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrainingExamples.of(DATA, none, TrainingExamples.SHOTS_AND_PSEUDO));
        assertTrue(e.getMessage().contains("labels.threshold"), e.getMessage());
    }
}
