package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.model.CheckpointLayout;
import org.clipwb.core.model.Clip;
import org.clipwb.testing.TestData;
import org.clipwb.testing.TestFiles;
import org.clipwb.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunExportTest {
    private static final List<String> CLASSES = List.of("cat", "dog");

    @TempDir
    Path temp;

    /** The tiny fixture model, in the Hugging Face layout, from {@code folder}. */
    private static Clip load(Path folder) throws IOException {
        return Clip.load(folder, "tiny", Device.cpu());
    }

    private static Clip tiny() throws IOException {
        return load(TestData.tinyClip().resolve("hf"));
    }

    private Path finishedRun(Clip clip) throws IOException {
        Path run = temp.resolve("runs").resolve("r1");
        HeadFiles.save(new CosineHead(Vectors.randomUnit(new SplittableRandom(1), 2, clip.embedDim()), 50f), CLASSES,
                run.resolve(AdaptationRunner.CLASSIFIER_FOLDER));
        return run;
    }

    /** Staging folders (".adapted.<uuid>.partial") anywhere under the test's folder, empty or not. */
    private List<Path> leftovers() throws IOException {
        try (var walk = Files.walk(temp)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    @Test
    void anExportHoldsTheModelItsTokenizerAndTheClassifier() throws IOException {
        Path target = temp.resolve("exports").resolve("adapted");
        try (Clip clip = tiny()) {
            Path run = finishedRun(clip);
            RunExport.export(clip, run, target);
            for (String file : CheckpointLayout.TOKENIZER_FILES) {
                assertArrayEquals(Files.readAllBytes(clip.directory().resolve(file)),
                        Files.readAllBytes(target.resolve(file)), file);
            }
            assertTrue(Files.isRegularFile(target.resolve("model.safetensors")), TestFiles.tree(target).toString());
            assertTrue(Files.isRegularFile(target.resolve("config.json")));
            HeadFiles.Saved saved = HeadFiles.load(RunExport.classifierOf(target));
            assertEquals(CLASSES, saved.classNames());
            assertArrayEquals(HeadFiles.load(run.resolve(AdaptationRunner.CLASSIFIER_FOLDER)).head().tensors()
                    .get("class_weights").values(), saved.head().tensors().get("class_weights").values());
            assertEquals(List.of(), leftovers());
            try (Clip exported = load(target)) {
                assertArrayEquals(clip.embedTexts(List.of("a cat"))[0], exported.embedTexts(List.of("a cat"))[0],
                        "the same model");
            }
        }
    }

    @Test
    void anExistingEmptyFolderMayBeTheTarget() throws IOException {
        Path target = Files.createDirectories(temp.resolve("empty"));
        try (Clip clip = tiny()) {
            RunExport.export(clip, finishedRun(clip), target);
        }
        assertTrue(HeadFiles.exists(RunExport.classifierOf(target)));
    }

    @Test
    void aRunWithoutAClassifierIsRefused() throws IOException {
        Path run = Files.createDirectories(temp.resolve("runs").resolve("unfinished"));
        Path target = temp.resolve("out");
        try (Clip clip = tiny()) {
            IOException e = assertThrows(IOException.class, () -> RunExport.export(clip, run, target));
            assertEquals("Run unfinished has no adapted classifier yet (" + run.resolve("classifier") + "): finish or "
                    + "resume the run first", e.getMessage());
        }
        assertFalse(Files.exists(target));
    }

    @Test
    void aNonEmptyTargetIsRefusedAndLeftAlone() throws IOException {
        Path target = TestFiles.touch(temp.resolve("out"), "mine.txt");
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        try (Clip clip = tiny()) {
            Path run = finishedRun(clip);
            IOException e = assertThrows(IOException.class, () -> RunExport.export(clip, run, target));
            assertEquals("Export folder " + target + " exists and is not empty: choose a new folder or empty it",
                    e.getMessage());
            assertThrows(IOException.class, () -> RunExport.export(clip, run, file));
        }
        assertEquals(List.of("mine.txt"), TestFiles.tree(target));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anExportThatFailsPartWayLeavesNothing() throws IOException {
        Path model = Files.createDirectories(temp.resolve("model"));
        try (var files = Files.list(TestData.tinyClip().resolve("hf"))) {
            for (Path file : files.toList()) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        Path target = temp.resolve("out");
        try (Clip copy = load(model)) {
            Path run = finishedRun(copy);
            // The model is written, then the tokenizer copy fails.
            Files.delete(model.resolve(CheckpointLayout.TOKENIZER_FILES.get(1)));
            assertThrows(IOException.class, () -> RunExport.export(copy, run, target));
        }
        assertFalse(Files.exists(target));
        assertEquals(List.of(), leftovers());
    }
}
