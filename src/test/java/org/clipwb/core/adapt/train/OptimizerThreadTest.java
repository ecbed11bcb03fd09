package org.clipwb.core.adapt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The optimizers step on any thread. PyTorch's grad mode is per thread and on by default; DJL turns it off only on
 * the thread that starts the engine, so a run on a worker thread (the window's, or a test after the engine started
 * elsewhere) steps with grad mode on, where updating a parameter in place is refused.
 */
class OptimizerThreadTest {
    @Test
    void sgdStepsOnAFreshThread() throws Exception {
        // loss = 2p at p = 1: gradient 2, so p = 1 − 0.1·2 = 0.8 (first step: the momentum buffer is the gradient).
        assertEquals(0.8f, stepOnFreshThread(manager -> new Sgd(manager, 0.9, 0)), 1e-7f);
    }

    @Test
    void adamWStepsOnAFreshThread() throws Exception {
        // First step: m̂ = g, v̂ = g², so p = 1 − 0.1·2/(2 + 1e-8) = 0.9.
        assertEquals(0.9f, stepOnFreshThread(manager -> new AdamW(manager, 0.9, 0.999, 1e-8, 0, name -> true)),
                1e-7f);
    }

    private static float stepOnFreshThread(Function<NDManager, ParameterOptimizer> optimizer) throws Exception {
        Engine.getInstance(); // started here, on the test's thread
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (NDManager manager = NDManager.newBaseManager()) {
                    NDArray parameter = manager.create(new float[] {1});
                    parameter.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(parameter.mul(2).sum());
                    }
                    optimizer.apply(manager).step(Map.of("p", parameter), 0.1);
                    return parameter.getFloat();
                }
            }, worker).get();
        } finally {
            worker.shutdown();
        }
    }
}
