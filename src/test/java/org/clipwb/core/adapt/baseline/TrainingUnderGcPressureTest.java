package org.clipwb.core.adapt.baseline;

import static org.clipwb.core.adapt.baseline.BaselineRuns.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.adapt.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training stays bit-reproducible while the garbage collector runs all the time. A scalar of the forward pass that
 * autograd keeps for the backward pass once lived in a direct buffer nothing referenced, so a collection between the
 * two passes freed it and the step's gradient read garbage (losses of 1e25 from the second step on); the window's
 * rendering makes such pressure.
 */
class TrainingUnderGcPressureTest {
    @TempDir
    Path temp;

    @Test
    void repeatedSelfTrainingGivesTheSameLossesWhileTheCollectorRuns() throws Exception {
        SelfTraining method = new SelfTraining();
        Settings settings = BaselineRuns.settings(method, "labels.k=12", "train.epochs=4", "train.batch-size=8",
                "train.lr=0.5");
        List<Double> expected = stepLosses(method, settings, temp.resolve("quiet"));
        Thread churn = new Thread(TrainingUnderGcPressureTest::collectAllTheTime, "gc-churn");
        churn.setDaemon(true);
        churn.start();
        try {
            for (int run = 0; run < 4; run++) {
                assertEquals(expected, stepLosses(method, settings, temp.resolve("run" + run)), "run " + run);
            }
        } finally {
            churn.interrupt();
            churn.join();
        }
    }

    private static List<Double> stepLosses(SelfTraining method, Settings settings, Path folder) throws Exception {
        List<Double> losses = new ArrayList<>();
        BaselineRuns.run(method, DATA, settings, folder, event -> {
            if (event.phase().equals(EmbeddingTrainer.PHASE) && event.labels().isEmpty()) {
                losses.add(event.losses().get("cross-entropy"));
            }
        });
        return losses;
    }

    /** Unreferenced direct buffers and a full collection every few milliseconds, until interrupted. */
    private static void collectAllTheTime() {
        while (!Thread.currentThread().isInterrupted()) {
            for (int i = 0; i < 100; i++) {
                ByteBuffer.allocateDirect(1 << 10).put(0, (byte) 1);
            }
            System.gc();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
