package org.clipwb.core.adapt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.ProcessUsage;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training-cost table of {@code docs/results.md}: every kind of work is timed on real steps, the measurement is
 * kept in the work folder and reused only while its key matches, and the section says what each row costs.
 */
class TrainingCostTableTest {
    @TempDir
    Path folder;

    @Test
    void timesEveryKindOfWorkOnRealStepsAndWritesItsSection() throws Exception {
        // Two batches of 4: CoFT's Phase I takes two steps per model.
        SampleProject.FILLS_SHIFTED.variant(3, 2).generate(folder.resolve("draw"));
        boolean peakKnown = ProcessUsage.resetPeakResident();
        List<String> log = new ArrayList<>();
        TrainingCostTable.Measured measured;
        Path runs = folder.resolve("runs");
        try (Clip clip = Clip.load(TestData.tinyClip().resolve("hf"), "tiny", Device.cpu())) {
            measured = TrainingCostTable.measure(clip, "key", new ProjectFolder(folder.resolve("draw")), runs, 4, 1,
                    log::add);
        }
        assertEquals(List.of("embedding", "image", "flyp", "coft-phase1-vpt"),
                measured.rows().stream().map(TrainingCostTable.Row::mode).toList());
        assertFalse(Files.exists(runs), "CoFT's timing run is deleted after");
        for (TrainingCostTable.Row row : measured.rows()) {
            // A step of the tiny model can take less than the resolution of the process's CPU time (a jiffy).
            assertTrue(row.secondsPerImage() > 0 && row.cpuSecondsPerImage() >= 0, row.toString());
            assertEquals(peakKnown, row.peakResidentBytes() > 0, row.toString());
        }
        assertTrue(measured.rows().stream().mapToDouble(TrainingCostTable.Row::cpuSecondsPerImage).sum() > 0,
                measured.rows().toString());
        assertEquals(4, log.size(), String.join("\n", log));
        assertTrue(log.get(1).startsWith("training cost, image: "), log.get(1));
        assertEquals("CPU", measured.device());
        assertTrue(measured.model().startsWith("tiny, "), measured.model());

        String md = TrainingCostTable.markdown(measured);
        assertTrue(md.startsWith("## Training cost per image of a model of real size\n"), md);
        assertTrue(md.contains("batches of 4 `fills-shifted` images"), md);
        assertTrue(md.contains("the mean of 1 steps after a warm-up step"), md);
        TrainingCostTable.Row image = measured.rows().get(1);
        assertTrue(md.contains("| fine-tuning the image tower (AdamW) | CoFT's and CoFT+'s Phase II"), md);
        assertTrue(md.contains(String.format(Locale.ROOT, "| %.3f | %.3f | %.0f s |", image.secondsPerImage(),
                image.cpuSecondsPerImage(), 1200 * image.secondsPerImage())), md);
        assertTrue(md.contains("| fine-tuning both towers (AdamW) | FLYP |"), md);
        assertTrue(md.contains("| CoFT's Phase I with deep visual prompts, per model (SGD) | CoFT and CoFT+ with "
                + "`phase1.visual-module=vpt`"), md);
    }

    @Test
    void keepsTheMeasurementAndReusesItOnlyWhileItsKeyMatches() throws IOException {
        assertEquals(Optional.empty(), TrainingCostTable.read(folder));
        int cores = Runtime.getRuntime().availableProcessors();
        TrainingCostTable.Measured current = measured(TrainingCostTable.key("ViT-B-32", cores));
        TrainingCostTable.save(folder, current);
        assertEquals(Optional.of(current), TrainingCostTable.stored(folder, "ViT-B-32"));
        assertEquals(Optional.empty(), TrainingCostTable.stored(folder, "ViT-B-16"), "another architecture");

        TrainingCostTable.Measured otherMachine = measured(TrainingCostTable.key("ViT-B-32", cores + 1));
        TrainingCostTable.save(folder, otherMachine);
        assertEquals(Optional.empty(), TrainingCostTable.stored(folder, "ViT-B-32"), "other cores");
        assertEquals(Optional.of(otherMachine), TrainingCostTable.read(folder), "the last one is still shown");
        assertFalse(TrainingCostTable.markdown(otherMachine).contains("not measured |\n| fine-tuning the image"));

        Files.writeString(folder.resolve(TrainingCostTable.FILE), "{\"key\": 3");
        IOException e = assertThrows(IOException.class, () -> TrainingCostTable.read(folder));
        assertTrue(e.getMessage().contains("training-cost.json is not a training-cost measurement")
                && e.getMessage().contains("delete it to measure again"), e.getMessage());
    }

    @Test
    void unknownMemoryAndLongEpochsReadPlainly() {
        TrainingCostTable.Measured slow = new TrainingCostTable.Measured("k", "random ViT-B-32, 151.3 M parameters",
                "CPU", 32, 3, 2, "2026-11-29T15:00:00Z",
                List.of(new TrainingCostTable.Row("flyp", 0.55, 1.09, 0)));
        String md = TrainingCostTable.markdown(slow);
        assertTrue(md.contains("Measured 2026-11-29 on the CPU (2 cores available to Java) with random ViT-B-32, "
                + "151.3 M parameters"), md);
        assertTrue(md.contains("| fine-tuning both towers (AdamW) | FLYP | 0.550 | 1.090 | 11 min | not measured |"),
                md);
    }

    private static TrainingCostTable.Measured measured(String key) {
        return new TrainingCostTable.Measured(key, "random ViT-B-32, 151.3 M parameters", "CPU", 32, 3, 2,
                "2026-11-29T15:00:00Z", List.of(new TrainingCostTable.Row("embedding", 0.05, 0.1, 1_470_000_000L),
                        new TrainingCostTable.Row("image", 0.35, 0.68, 4_140_000_000L)));
    }
}
