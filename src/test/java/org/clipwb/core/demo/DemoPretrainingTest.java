package org.clipwb.core.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipwb.core.model.ActivationKind;
import org.clipwb.core.model.CheckpointLayout;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.tokenizer.ClipTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pretraining end to end on a toy architecture: it learns, publishes a loadable model, and resumes. */
class DemoPretrainingTest {
    @TempDir
    Path dir;

    private static DemoPretraining.Settings toy(int steps) {
        return new DemoPretraining.Settings(3, steps, 16, 2e-3, 0.1, 1, 1000, 2000, 32, 4,
                16, 8, 64, 1, 64, 1, 24, 32);
    }

    @Test
    void learnsAVocabularyTrainsAndPublishesALoadableModel() throws Exception {
        List<DemoPretraining.Progress> seen = new ArrayList<>();
        DemoPretraining.Result result = onFreshThread(() -> DemoPretraining.run(toy(12), dir, seen::add));

        assertEquals(12, seen.size());
        double early = (seen.get(0).loss() + seen.get(1).loss()) / 2;
        double late = (seen.get(10).loss() + seen.get(11).loss()) / 2;
        assertTrue(late < early, "loss went from " + early + " to " + late);
        assertEquals(List.of(4, 8, 12), result.history().stream().map(DemoPretraining.Metrics::step).toList());
        assertEquals(CheckpointLayout.HUGGING_FACE, CheckpointLayout.detect(dir));

        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(dir);
        assertEquals(1, tokenizer.encode("circle").length, "a frequent caption word is one token");
        try (Clip clip = Clip.load(dir, "toy")) {
            assertEquals(32, clip.embedDim());
            assertEquals(16, clip.preprocessor().config().cropWidth());
            // The published weights are the trained ones: evaluating them again gives the recorded accuracy.
            assertEquals(result.finalMetrics().shapeAccuracy(), WorldEvaluation.zeroShot(clip, WorldTask.SHAPE,
                    WorldEvaluation.HELD_OUT_SEED, 32).accuracy(), 1e-9);
        }
        JsonNode record = new ObjectMapper().readTree(dir.resolve(DemoPretraining.RECORD_FILE).toFile());
        assertEquals(12, record.path("settings").path("steps").asInt());
        assertEquals(result.parameters(), record.path("parameters").asLong());
    }

    @Test
    void anInterruptedRunResumesWhereItsLastCheckpointIs() throws Exception {
        List<Integer> firstRun = new ArrayList<>();
        assertThrows(InterruptedException.class, () -> onFreshThread(() -> DemoPretraining.run(toy(8), dir, p -> {
            firstRun.add(p.step());
            if (p.step() == 5) {
                Thread.currentThread().interrupt();
            }
        })));
        assertEquals(List.of(1, 2, 3, 4, 5), firstRun);

        List<Integer> secondRun = new ArrayList<>();
        DemoPretraining.Result result = onFreshThread(() -> DemoPretraining.run(toy(8), dir,
                p -> secondRun.add(p.step())));
        assertEquals(List.of(6, 7, 8), secondRun);
        assertEquals(List.of(4, 8), result.history().stream().map(DemoPretraining.Metrics::step).toList());

        List<Integer> extension = new ArrayList<>();
        result = onFreshThread(() -> DemoPretraining.run(toy(10), dir, p -> extension.add(p.step())));
        assertEquals(List.of(9, 10), extension, "more steps continue the finished run");
        assertEquals(List.of(4, 8, 10), result.history().stream().map(DemoPretraining.Metrics::step).toList());

        DemoPretraining.Settings otherSeed = new DemoPretraining.Settings(4, 12, 16, 2e-3, 0.1, 1, 1000, 2000, 32, 4,
                16, 8, 64, 1, 64, 1, 24, 32);
        IOException other = assertThrows(IOException.class, () -> DemoPretraining.run(otherSeed, dir, p -> { }));
        assertTrue(other.getMessage().contains("other settings"), other.getMessage());
    }

    @Test
    void theCurriculumStartsMostlyPlainAndSettlesAtThirtyPercent() {
        assertEquals(0.8, DemoPretraining.plainShare(0, 1000), 1e-9);
        assertEquals(0.55, DemoPretraining.plainShare(300, 1000), 1e-9);
        assertEquals(0.3, DemoPretraining.plainShare(600, 1000), 1e-9);
        assertEquals(0.3, DemoPretraining.plainShare(999, 1000), 1e-9);
    }

    @Test
    void patchPositionsStartAsSineCosineCodesOfRowAndColumn() {
        ClipConfig.VisionConfig vision = new ClipConfig.VisionConfig(16, 8, 8, 1, 1, 32, ActivationKind.QUICK_GELU);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] codes = DemoPretraining.patchPositions(manager, vision).toFloatArray();
            assertEquals(vision.tokens() * 8, codes.length);
            assertArrayEquals(new float[8], Arrays.copyOfRange(codes, 0, 8), "the class token has no position");
            // Token 2 is the patch in row 0, column 1: sin and cos of 0 for the row, of 1 and 1/100 for the column.
            float[] rowZeroColumnOne = {0, 0, 1, 1, (float) Math.sin(1), (float) Math.sin(0.01), (float) Math.cos(1),
                (float) Math.cos(0.01)};
            assertArrayEquals(rowZeroColumnOne, Arrays.copyOfRange(codes, 16, 24), 1e-6f);
        }
    }

    @Test
    void settingsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DemoPretraining.Settings(1, 10, 16, 1e-3, 0, 10, 600, 100, 10, 5, 16, 8, 64, 1, 64, 1, 16, 32));
        assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
    }

    /** Runs on a new thread: PyTorch's autograd mode is per thread and on there, as on the CLI's and UI's workers. */
    private static <T> T onFreshThread(Work<T> work) throws Exception {
        Object[] outcome = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                outcome[0] = work.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] instanceof Exception exception) {
            throw exception;
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws Exception;
    }
}
