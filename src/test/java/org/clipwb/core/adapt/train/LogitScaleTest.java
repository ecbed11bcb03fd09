package org.clipwb.core.adapt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LogitScaleTest {
    @Test
    void clampKeepsTheParameterWithinZeroAndLogOneHundredInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // ln 100 = 4.6051702: 5 comes down to it, −1 up to 0, 2 stays.
            NDArray logitScale = manager.create(new float[] {5, -1, 2});
            logitScale.setRequiresGradient(true);
            LogitScale.clamp(logitScale);
            assertArrayEquals(new float[] {4.6051702f, 0, 2}, logitScale.toFloatArray(), 1e-6f);
            assertTrue(logitScale.hasGradient(), "still a trainable parameter");
        }
    }
}
