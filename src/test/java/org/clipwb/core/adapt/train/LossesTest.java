package org.clipwb.core.adapt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LossesTest {
    @Test
    void crossEntropyAveragesMinusTheLogProbabilityOfEachRowsClass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Row 1: logits (1, 2, 3), class 2: −log(e³ / (e + e² + e³)) = log(1 + e⁻¹ + e⁻²) = 0.4076059644…
            // Row 2: logits (0, 0, 0), class 1: log 3 = 1.0986122886…
            // Mean: 0.7531091265…
            float loss = Losses.crossEntropy(
                    manager.create(new float[] {1, 2, 3, 0, 0, 0}, new Shape(2, 3)),
                    manager.create(new float[] {0, 0, 1, 0, 1, 0}, new Shape(2, 3))).getFloat();
            assertEquals(0.7531091265, loss, 1e-6);
        }
    }

    @Test
    void crossEntropyTakesSoftTargets() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Logits (1, 2, 3), target (½, ½, 0): log(e + e² + e³) − (1 + 2)/2 = 3.4076059644… − 1.5 = 1.9076059644…
            float loss = Losses.crossEntropy(manager.create(new float[] {1, 2, 3}, new Shape(1, 3)),
                    manager.create(new float[] {0.5f, 0.5f, 0}, new Shape(1, 3))).getFloat();
            assertEquals(1.9076059644, loss, 1e-6);
        }
    }

    @Test
    void symmetricContrastiveAveragesBothDirectionsWithTheDiagonalAsPositives() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // I = (e₁, e₂), T = ((0.6, 0.8), (1, 0)), s = 2: s·I·Tᵀ = [[1.2, 2], [1.6, 0]].
            // Image → text: row 1, class 0: log(1 + e^0.8) = 1.1711006659;
            //   row 2, class 1: log(1 + e^1.6) = 1.7839007409; mean 1.4775007034.
            // Text → image, s·T·Iᵀ = [[1.2, 1.6], [2, 0]]: log(1 + e^0.4) = 0.9130152524, log(1 + e²) = 2.1269280110;
            //   mean 1.5199716317.
            // Half their sum: 1.4987361676.
            float loss = Losses.symmetricContrastive(
                    manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)),
                    manager.create(new float[] {0.6f, 0.8f, 1, 0}, new Shape(2, 2)),
                    manager.create(2f)).getFloat();
            assertEquals(1.4987361676, loss, 1e-6);
        }
    }
}
