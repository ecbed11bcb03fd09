package org.clipwb.core.adapt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.testing.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SGD and AdamW against values worked out by hand. The gradient of {@code sum(w * c)} is {@code c}, so each step's
 * gradient is whatever {@code c} the test chooses.
 */
class OptimizersTest {
    private static final double TOLERANCE = 1e-6;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray parameter(float... values) {
        NDArray parameter = manager.create(values);
        parameter.setRequiresGradient(true);
        return parameter;
    }

    /** Accumulates the gradient {@code c} into {@code w} by back-propagating {@code sum(w * c)}. */
    private void gradient(NDArray w, float... c) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.mul(manager.create(c)).sum());
        }
    }

    private static Map<String, NDArray> named(NDArray w) {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        parameters.put("w", w);
        return parameters;
    }

    /** One step with gradient {@code c} at rate {@code rate}, after which {@code w} must be {@code expected}. */
    private void step(ParameterOptimizer optimizer, NDArray w, double rate, float[] c, String what,
            double... expected) {
        gradient(w, c);
        optimizer.step(named(w), rate);
        Vectors.assertClose(expected, w.toFloatArray(), TOLERANCE, what);
    }

    @Test
    void theGradientOfTheTestLossIsC() {
        NDArray w = parameter(1, -2);
        gradient(w, 0.5f, 1);
        assertArrayEquals(new float[] {0.5f, 1}, w.getGradient().toFloatArray());
    }

    @Test
    void sgdStartsTheMomentumBufferAtTheFirstGradientAndDecaysTowardZero() {
        NDArray w = parameter(1, -2);
        Sgd sgd = new Sgd(manager, 0.9, 0.1);
        // Step 1: g = c + 0.1·w = (0.5 + 0.1, 1 − 0.2) = (0.6, 0.8); buf = g; w = (1, −2) − 0.5·buf = (0.7, −2.4).
        step(sgd, w, 0.5, new float[] {0.5f, 1}, "step 1", 0.7, -2.4);
        assertArrayEquals(new float[] {0, 0}, w.getGradient().toFloatArray(), "the step zeroes the gradient");
        // Step 2: g = (0.5 + 0.07, 1 − 0.24) = (0.57, 0.76); buf = 0.9·(0.6, 0.8) + g = (1.11, 1.48);
        // w = (0.7 − 0.555, −2.4 − 0.74).
        step(sgd, w, 0.5, new float[] {0.5f, 1}, "step 2", 0.145, -3.14);
        // Step 3, another gradient and rate: g = (−1 + 0.0145, 2 − 0.314) = (−0.9855, 1.686);
        // buf = 0.9·(1.11, 1.48) + g = (0.0135, 3.018); w = (0.145 − 0.00135, −3.14 − 0.3018).
        step(sgd, w, 0.1, new float[] {-1, 2}, "step 3", 0.14365, -3.4418);
    }

    @Test
    void sgdDecaysTowardItsAnchor() {
        NDArray w = parameter(1, -2);
        Sgd sgd = new Sgd(manager, 0.9, 0.1).decayToward("w", manager.create(new float[] {1, 1}));
        // Step 1: g = c + 0.1·(w − (1, 1)) = (0.5 + 0, 1 − 0.3) = (0.5, 0.7); w = (1 − 0.25, −2 − 0.35).
        step(sgd, w, 0.5, new float[] {0.5f, 1}, "step 1", 0.75, -2.35);
        // Step 2: g = (0.5 − 0.025, 1 − 0.335) = (0.475, 0.665); buf = 0.9·(0.5, 0.7) + g = (0.925, 1.295).
        step(sgd, w, 0.5, new float[] {0.5f, 1}, "step 2", 0.2875, -2.9975);
    }

    @Test
    void plainSgdIsAGradientStep() {
        NDArray w = parameter(1, -2, 3);
        Sgd sgd = new Sgd(manager, 0, 0);
        step(sgd, w, 0.25, new float[] {1, 2, -4}, "w − 0.25·c", 0.75, -2.5, 4);
        step(sgd, w, 0.25, new float[] {1, 2, -4}, "again, no momentum", 0.5, -3, 5);
    }

    @Test
    void adamWCorrectsItsMomentsForBiasAndDecaysDecoupled() {
        NDArray w = parameter(1, -2);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.1, name -> true);
        // Step 1: w·(1 − 0.1·0.1) = (0.99, −1.98); m = 0.1·c, v = 0.001·c²; m/(1 − 0.9) = c and
        // sqrt(v/(1 − 0.999)) = |c|, so the step is 0.1·sign(c): w = (0.89, −1.88).
        step(adam, w, 0.1, new float[] {0.5f, -1}, "step 1", 0.89, -1.88);
        assertArrayEquals(new float[] {0, 0}, w.getGradient().toFloatArray());
        // Step 2, c = (1, 0.5): w = (0.8811, −1.8612) after decay; m = 0.9·(0.05, −0.1) + 0.1·c = (0.145, −0.04);
        // v = 0.999·(0.00025, 0.001) + 0.001·c² = (0.00124975, 0.001249); corrections 0.19 and 0.001999:
        // w −= 0.1·(m/0.19)/(sqrt(v/0.001999) + 1e-8).
        step(adam, w, 0.1, new float[] {1, 0.5f}, "step 2", 0.7845818006185094, -1.8345662973609032);
        // Step 3, c = (−0.25, 2): m = (0.1055, 0.164), v = (0.00131100025, 0.005247751),
        // corrections 0.271 and 0.002997001.
        step(adam, w, 0.1, new float[] {-0.25f, 2}, "step 3", 0.7178753102293716, -1.8619538130424145);
    }

    @Test
    void adamWDecaysOnlyTheParametersItIsToldTo() {
        NDArray weight = parameter(1, -2);
        NDArray gain = parameter(1, -2);
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        parameters.put("weight", weight);
        parameters.put("gain", gain);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.1, name -> !name.equals("gain"));
        gradient(weight, 0.5f, -1);
        gradient(gain, 0.5f, -1);
        adam.step(parameters, 0.1);
        Vectors.assertClose(new double[] {0.89, -1.88}, weight.toFloatArray(), TOLERANCE, "decayed");
        Vectors.assertClose(new double[] {0.9, -1.9}, gain.toFloatArray(), TOLERANCE, "not decayed");
    }

    @Test
    void sgdRestoredFromItsStateContinuesAsIfNeverStopped() {
        assertResumeIsExact(m -> new Sgd(m, 0.9, 0.01).decayToward("w", m.create(new float[] {1, 0, -1})));
    }

    @Test
    void adamWRestoredFromItsStateContinuesAsIfNeverStopped() {
        assertResumeIsExact(m -> new AdamW(m, 0.9, 0.98, 1e-6, 0.2, name -> true));
    }

    private static final float[][] GRADIENTS = {{0.5f, -1, 2}, {1, 0.25f, -0.5f}, {-2, 1, 0.125f}, {0.3f, 0.3f, -3}};

    /** Four steps straight, and two steps, a save, a fresh optimizer restored from the save and two more: equal. */
    private void assertResumeIsExact(Function<NDManager, ParameterOptimizer> optimizer) {
        NDArray straight = parameter(0.5f, -0.25f, 1);
        ParameterOptimizer first = optimizer.apply(manager);
        for (int step = 0; step < 4; step++) {
            gradient(straight, GRADIENTS[step]);
            first.step(named(straight), 0.05 * (step + 1));
        }

        NDArray resumed = parameter(0.5f, -0.25f, 1);
        ParameterOptimizer before = optimizer.apply(manager);
        for (int step = 0; step < 2; step++) {
            gradient(resumed, GRADIENTS[step]);
            before.step(named(resumed), 0.05 * (step + 1));
        }
        Map<String, Tensor> saved = before.state();
        NDArray reloaded = parameter(resumed.toFloatArray());
        ParameterOptimizer after = optimizer.apply(manager);
        after.restore(saved);
        assertEquals(saved.keySet(), after.state().keySet());
        saved.forEach((name, tensor) -> assertArrayEquals(tensor.values(), after.state().get(name).values(), name));
        for (int step = 2; step < 4; step++) {
            gradient(reloaded, GRADIENTS[step]);
            after.step(named(reloaded), 0.05 * (step + 1));
        }
        assertArrayEquals(straight.toFloatArray(), reloaded.toFloatArray());
    }

    @Test
    void stateNamesItsParts() {
        NDArray w = parameter(1, 2);
        Sgd sgd = new Sgd(manager, 0.9, 0);
        assertEquals(Map.of(), sgd.state());
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0, name -> true);
        gradient(w, 1, 1);
        adam.step(named(w), 0.1);
        assertEquals(java.util.Set.of("m.w", "v.w", "steps"), adam.state().keySet());
        assertArrayEquals(new float[] {1}, adam.state().get("steps").values());
        gradient(w, 1, 1);
        sgd.step(named(w), 0.1);
        assertEquals(java.util.Set.of("momentum.w"), sgd.state().keySet());
        assertArrayEquals(new long[] {2}, sgd.state().get("momentum.w").shape());
    }
}
