package org.clipwb.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReliabilityDiagramTest {
    @Test
    void binsConfidenceAgainstAccuracyAndWeighsTheGapsByCount() {
        // Bin [0, 0.5): 0.15 right, 0.35 wrong, 0.45 right; bin [0.5, 1]: 0.95 right, 1.0 wrong; 0.6 has no label.
        float[] confidence = {0.15f, 0.35f, 0.45f, 0.95f, 1.0f, 0.6f};
        int[] predicted = {0, 1, 2, 0, 1, 1};
        int[] truth = {0, 0, 2, 0, 2, -1};
        ReliabilityDiagram diagram = ReliabilityDiagram.of(confidence, predicted, truth, 2);
        assertEquals(5, diagram.counted());
        ReliabilityDiagram.Bin low = diagram.bins().get(0);
        assertEquals(3, low.count());
        assertEquals((0.15 + 0.35 + 0.45) / 3, low.meanConfidence(), 1e-6);
        assertEquals(2.0 / 3, low.accuracy(), 1e-12);
        ReliabilityDiagram.Bin high = diagram.bins().get(1);
        assertEquals(2, high.count());
        assertEquals(0.975, high.meanConfidence(), 1e-6);
        assertEquals(0.5, high.accuracy(), 1e-12);
        // 3/5 · |2/3 − 0.31667| + 2/5 · |0.5 − 0.975| = 0.21 + 0.19
        assertEquals(0.40, diagram.expectedCalibrationError(), 1e-6);
    }

    @Test
    void anEmptyBinHasNoGapAndNoLabelsMeanNoError() {
        ReliabilityDiagram diagram = ReliabilityDiagram.of(new float[] {0.9f}, new int[] {0}, new int[] {0}, 4);
        assertEquals(0, diagram.bins().get(0).count());
        assertTrue(Double.isNaN(diagram.bins().get(0).accuracy()));
        assertEquals(0, diagram.bins().get(0).gap());
        assertEquals(0.1, diagram.expectedCalibrationError(), 1e-6);
        assertTrue(Double.isNaN(ReliabilityDiagram.of(new float[] {0.9f}, new int[] {0}, new int[] {-1}, 4)
                .expectedCalibrationError()));
    }

    @Test
    void aConfidenceOutsideTheUnitIntervalIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> ReliabilityDiagram.of(new float[] {1.5f}, new int[] {0}, new int[] {0}, 4));
    }
}
