package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CancellationTest {
    private static final AdaptationData DATA = SyntheticData.create(4, 16, 20, 0.55, 0.35, 11);

    @TempDir
    Path temp;

    @Test
    void aPausedRunWaitsAndThenEndsAsAnUninterruptedOne() throws Exception {
        Settings settings = AdaptationMethods.create("self-training").info().defaults()
                .withAssignments(java.util.List.of("train.epochs=6", "labels.k=8", "train.lr=0.5"));
        ClassifierHead straight = run(settings, temp.resolve("straight"), new Cancellation(), ProgressListener.NONE);

        Cancellation cancellation = new Cancellation();
        CountDownLatch reached = new CountDownLatch(1);
        AtomicBoolean stepsWhilePaused = new AtomicBoolean();
        ProgressListener pauser = event -> {
            if (cancellation.isPaused()) {
                stepsWhilePaused.set(true);
            }
            if (event.phase().equals("train") && event.step() == 5 && reached.getCount() > 0) {
                cancellation.pause();
                reached.countDown();
            }
        };
        CompletableFuture<ClassifierHead> paused = CompletableFuture.supplyAsync(() -> {
            try {
                return run(settings, temp.resolve("paused"), cancellation, pauser);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(reached.await(60, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertTrue(!paused.isDone() && cancellation.isPaused(), "the run waits while paused");
        cancellation.resume();
        ClassifierHead resumed = paused.get(60, TimeUnit.SECONDS);
        assertTrue(!stepsWhilePaused.get(), "no step ran while paused");
        float[][] expected = straight.probabilities(DATA.target().embeddings());
        float[][] actual = resumed.probabilities(DATA.target().embeddings());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 1e-6f, "image " + i);
        }
    }

    @Test
    void cancellingAPausedRunStopsIt() {
        Cancellation cancellation = new Cancellation();
        cancellation.pause();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(cancellation::check);
        cancellation.cancel();
        java.util.concurrent.ExecutionException thrown = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(10, TimeUnit.SECONDS));
        assertTrue(thrown.getCause() instanceof CancellationException);
    }

    private static ClassifierHead run(Settings settings, Path folder, Cancellation cancellation,
            ProgressListener listener) throws java.io.IOException {
        return AdaptationMethods.create("self-training").adapt(new RunContext(DATA, settings, 5, new RunStore(folder),
                listener, cancellation, ai.djl.Device.cpu()));
    }
}
