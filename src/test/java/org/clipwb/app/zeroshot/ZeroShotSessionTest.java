package org.clipwb.app.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.HubClient;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.testing.LabelledImages;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroShotSessionTest {
    private static final String MODEL = TestData.tinyClip().resolve("hf").toString();

    @TempDir
    Path dir;

    private final List<ZeroShotSession.State> states = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private ZeroShotSession session;
    private Path images;

    @BeforeEach
    void setUp() throws IOException {
        images = LabelledImages.copyInto(Files.createDirectories(dir.resolve("images")));
        ModelStore store = new ModelStore(dir.resolve("models"), HubClient.builder().build(), true);
        session = new ZeroShotSession(store, dir.resolve("embeddings.sqlite"), states::add);
    }

    @AfterEach
    void tearDown() throws IOException {
        session.close();
    }

    @Test
    void newClassesReuseTheEmbeddingsAndARescanReadsTheCache() throws Exception {
        ZeroShotResult first = session.run(request("cat\ndog"), true, this::record);
        assertFalse(first.reclassified());
        assertEquals(7, first.run().predictions().size());
        assertEquals(7, first.run().images().computed());
        assertEquals(7, first.run().evaluation().orElseThrow().total(), "labels from the cat/dog folders");
        assertTrue(messages.contains("Loading model " + MODEL + " (fp32)"), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Embedding images: 7/7 (100%)")), messages.toString());
        assertEquals(new ZeroShotSession.State(MODEL, Precision.FP32, images), states.get(states.size() - 1));

        ZeroShotResult second = session.run(request("cat\ndog\nbird"), true, this::record);
        assertTrue(second.reclassified());
        assertSame(first.run().images(), second.run().images(), "the same embeddings, no image work");
        assertEquals(3, second.run().predictions().get(0).probabilities().length);
        assertTrue(second.summary().startsWith("Re-classified 7 images into 3 classes in "), second.summary());

        ZeroShotResult rescan = session.run(request("cat\ndog"), false, this::record);
        assertFalse(rescan.reclassified());
        assertNotSame(first.run().images(), rescan.run().images());
        assertEquals(7, rescan.run().images().fromCache());
        assertEquals(0, rescan.run().images().computed());
        assertTrue(rescan.summary().contains("(7 embeddings from the cache, 0 computed)"), rescan.summary());
    }

    @Test
    void anotherPrecisionReloadsTheModelAndEmbedsAgainWithItsOwnCacheEntries() throws Exception {
        session.run(request("cat\ndog"), true, this::record);
        messages.clear();

        ZeroShotResult half = session.run(request("cat\ndog", Precision.FP16), true, this::record);
        assertTrue(messages.contains("Loading model " + MODEL + " (fp16)"), messages.toString());
        assertEquals(new ZeroShotSession.State(MODEL, Precision.FP16, images), states.get(states.size() - 1),
                "the state names the precision of the model actually loaded");
        assertFalse(half.reclassified(), "the fp32 embeddings do not serve an fp16 run");
        assertEquals(7, half.run().images().computed(), "the cache keeps fp16 embeddings apart from fp32 ones");

        messages.clear();
        ZeroShotResult again = session.run(request("cat\ndog\nbird", Precision.FP16), true, this::record);
        assertTrue(again.reclassified(), "same model and precision: nothing reloaded");
        assertTrue(messages.stream().noneMatch(m -> m.startsWith("Loading model")), messages.toString());

        ZeroShotResult full = session.run(request("cat\ndog"), true, this::record);
        assertEquals(Precision.FP32, states.get(states.size() - 1).precision());
        assertEquals(7, full.run().images().fromCache(), "the fp32 embeddings of the first run");
    }

    @Test
    void releasingTheModelDropsItsEmbeddings() throws Exception {
        session.run(request("cat\ndog"), true, this::record);
        session.releaseModel();
        assertEquals(ZeroShotSession.State.EMPTY, states.get(states.size() - 1));
        ZeroShotResult again = session.run(request("cat\ndog"), true, this::record);
        assertFalse(again.reclassified(), "nothing to reuse after the release");
    }

    @Test
    void anInterruptedRunStopsWithInterruptedException() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> session.run(request("cat\ndog"), true, this::record));
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed by the exception");
    }

    @Test
    void aFolderWithoutImagesIsAClearError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "no pictures here");
        RunRequest request = new RunRequest(empty, MODEL, Precision.FP32, ClassList.parse("cat\ndog"),
                PromptTemplates.single(PromptTemplates.DEFAULT_TEMPLATE));
        IOException error = assertThrows(IOException.class, () -> session.run(request, true, this::record));
        assertTrue(error.getMessage().startsWith("No images in " + empty), error.getMessage());
        assertTrue(error.getMessage().contains("1 other files"), error.getMessage());
    }

    private RunRequest request(String classes) {
        return request(classes, Precision.FP32);
    }

    private RunRequest request(String classes, Precision precision) {
        return new RunRequest(images, MODEL, precision, ClassList.parse(classes),
                PromptTemplates.single(PromptTemplates.DEFAULT_TEMPLATE));
    }

    private void record(String message, double fraction) {
        messages.add(message);
        assertTrue(fraction == -1 || fraction >= 0 && fraction <= 1, "fraction " + fraction);
    }
}
