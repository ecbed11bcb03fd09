package org.clipwb.core.adapt.flyp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.model.Clip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipwb benchmark --training}'s measurement: real steps of every mode, timed in wall and CPU time. */
class TrainingCostTest {
    @TempDir
    Path folder;

    @Test
    void timesStepsOfEveryModeAndNamesItsModes() throws Exception {
        SampleProject.FILLS_SHIFTED.variant(3, 1).generate(folder);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder.resolve("images"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (Clip clip = FillsFixture.tinyClip()) {
            for (TrainingCost.Mode mode : TrainingCost.Mode.values()) {
                TrainingCost.Result result = TrainingCost.measure(clip, files, mode, 3, 1);
                assertEquals(mode, TrainingCost.Mode.of(mode.word()));
                assertTrue(result.firstStepSeconds() > 0 && result.secondsPerStep() > 0, result.toString());
                // An embedding step of the tiny model can take less than the CPU clock's resolution; a training step
                // takes longer.
                assertTrue(mode == TrainingCost.Mode.EMBEDDING ? result.cpuSecondsPerStep() >= 0
                        : result.cpuSecondsPerStep() > 0, result.toString());
                assertEquals(result.secondsPerStep() / 3, result.secondsPerImage(), 1e-12);
            }
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingCost.Mode.of("text")).getMessage()
                .contains("image, flyp"));
    }
}
