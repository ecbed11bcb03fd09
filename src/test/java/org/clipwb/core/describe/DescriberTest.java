package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.describe.LoopbackServer.Reply;
import org.junit.jupiter.api.Test;

class DescriberTest extends LoopbackServerTest {
    private final List<String> progress = new ArrayList<>();

    /** An Ollama server that describes each image by the order in which it was asked. */
    private OllamaProvider ollama() throws Exception {
        server = LoopbackServer.start(request -> Reply.ok("{\"response\": \"description " + server.requests().size()
                + "\", \"done\": true}"));
        return new OllamaProvider(ServerSettings.of(server.url(), "llava:7b").withRetries(1, Duration.ZERO),
                OllamaProvider.Endpoint.GENERATE, sleeps::add);
    }

    private Describer describer(DescriptionProvider provider) throws Exception {
        return new Describer(provider, DescriptionStore.open(temp.resolve("store")),
                (done, total, message) -> progress.add(done + "/" + total + " " + message));
    }

    private List<Path> images(int count) throws Exception {
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(TestImages.write(temp, "image-" + i + ".png", 8, 8, Color.RED));
        }
        return images;
    }

    @Test
    void aRerunReusesEveryDescriptionWithoutAskingTheServer() throws Exception {
        OllamaProvider ollama = ollama();
        List<Path> images = images(3);

        Described<Path, String> first = describer(ollama).describeImages(images, "Describe the object.");
        assertEquals(3, server.requests().size());
        assertEquals(ollama.id(), first.provider());
        assertEquals(List.of("description 1", "description 2", "description 3"),
                List.copyOf(first.descriptions().values()));
        assertEquals("3/3 described " + images.get(2).toAbsolutePath(), progress.get(progress.size() - 1));

        progress.clear();
        Described<Path, String> second = describer(ollama).describeImages(images, "Describe the object.");
        assertEquals(3, server.requests().size(), "no request on the rerun");
        assertEquals(first, second);
        assertEquals(List.of("3/3 3 of 3 images already described by " + ollama.id()), progress);

        DescriptionStore store = DescriptionStore.open(temp.resolve("store"));
        assertTrue(store.descriptions().stream().allMatch(d -> d.provider().equals(ollama.id())
                && d.kind() == DescriptionKind.IMAGE && d.prompt().equals("Describe the object.")));

        describer(ollama).describeImages(images, "Describe the scene.");
        assertEquals(6, server.requests().size(), "another prompt asks again");
    }

    @Test
    void aFailureKeepsWhatWasObtainedAndTheRerunAsksOnlyForTheRest() throws Exception {
        OllamaProvider ollama = ollama();
        List<Path> images = images(3);
        server.queue(Reply.ok("{\"response\": \"the first\"}"), Reply.status(404, "{\"error\": \"model not found\"}"));

        DescriptionException error = assertThrows(DescriptionException.class,
                () -> describer(ollama).describeImages(images, "Describe."));

        assertTrue(error.getMessage().contains("could not describe image " + images.get(1)), error.getMessage());
        assertTrue(error.getMessage().contains("1 of 3 images are described and kept in "
                + temp.resolve("store").resolve(DescriptionStore.FILE_NAME)), error.getMessage());
        assertTrue(Files.readString(temp.resolve("store/descriptions.json")).contains("the first"));

        Described<Path, String> resumed = describer(ollama).describeImages(images, "Describe.");
        assertEquals(4, server.requests().size(), "two more requests: the first image is not asked again");
        assertEquals("the first", resumed.descriptions().get(images.get(0)));
        assertEquals("description 4", resumed.descriptions().get(images.get(2)));
    }

    /** Records what it is asked and answers from the item's name. */
    private static final class RecordingProvider implements DescriptionProvider {
        private final String id;
        final List<String> asked = new ArrayList<>();

        RecordingProvider(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<String> describeClass(String className, DescriptionRequest request) {
            asked.add(className);
            return List.of("A " + className + ".", "Another " + className + ".");
        }

        @Override
        public String describeImage(Path image, String prompt) {
            asked.add(image.getFileName().toString());
            if (Thread.currentThread().getName().equals("cancel-after-first")) {
                Thread.currentThread().interrupt();
            }
            return "image " + image.getFileName();
        }

        @Override
        public String describeGroup(List<Path> images, String prompt) {
            asked.add(images.toString());
            return "group of " + images.size();
        }
    }

    @Test
    void classesAreKeptPerRequestAndProvider() throws Exception {
        RecordingProvider cupl = new RecordingProvider("test llm");
        Described<String, List<String>> classes = describer(cupl).describeClasses(List.of("cat", "dog", "cat"),
                DescriptionRequest.CUPL);
        assertEquals(List.of("cat", "dog"), List.copyOf(classes.descriptions().keySet()), "duplicates asked once");
        assertEquals(List.of("A cat.", "Another cat."), classes.descriptions().get("cat"));

        describer(cupl).describeClasses(List.of("dog", "bird"), DescriptionRequest.CUPL);
        assertEquals(List.of("cat", "dog", "bird"), cupl.asked);
        describer(cupl).describeClasses(List.of("dog"), new DescriptionRequest(2, 0.5, 20));
        assertEquals("dog", cupl.asked.get(3), "other sampling settings ask again");

        RecordingProvider other = new RecordingProvider("another llm");
        Described<String, List<String>> again = describer(other).describeClasses(List.of("cat"), DescriptionRequest.CUPL);
        assertEquals(List.of("cat"), other.asked, "another provider asks again");
        assertEquals("another llm", again.provider());
        assertEquals(5, DescriptionStore.open(temp.resolve("store")).descriptions().size());
    }

    @Test
    void groupsAreKnownByTheirImagesNotTheirNames() throws Exception {
        RecordingProvider llm = new RecordingProvider("test llm");
        List<Path> images = images(4);
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        groups.put("anchor-0", images.subList(0, 2));
        groups.put("anchor-1", images.subList(2, 4));

        Described<String, String> described = describer(llm).describeGroups(groups, "What is common?");
        assertEquals(Map.of("anchor-0", "group of 2", "anchor-1", "group of 2"), described.descriptions());

        describer(llm).describeGroups(Map.of("renamed", images.subList(0, 2)), "What is common?");
        assertEquals(2, llm.asked.size(), "the same images under another name are not asked again");
        StoredDescription stored = DescriptionStore.open(temp.resolve("store")).descriptions().get(0);
        assertEquals(images.get(0).toAbsolutePath() + " + " + images.get(1).toAbsolutePath(), stored.subject());
    }

    @Test
    void anInterruptCancelsAndKeepsWhatWasObtained() throws Exception {
        RecordingProvider llm = new RecordingProvider("test llm");
        List<Path> images = images(3);
        Throwable[] thrown = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                describer(llm).describeImages(images, "Describe.");
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "cancel-after-first");
        worker.start();
        worker.join();

        assertTrue(thrown[0] instanceof InterruptedException, String.valueOf(thrown[0]));
        assertEquals(1, llm.asked.size());
        assertEquals(1, DescriptionStore.open(temp.resolve("store")).descriptions().size());
    }

    @Test
    void aStoreThatIsNotOneIsNotOverwritten() throws Exception {
        Path file = Files.createDirectories(temp.resolve("store")).resolve(DescriptionStore.FILE_NAME);
        Files.writeString(file, "{\"notes\": 1}");

        DescriptionException error = assertThrows(DescriptionException.class,
                () -> DescriptionStore.open(temp.resolve("store")));

        assertTrue(error.getMessage().startsWith(file + " is not a descriptions store"), error.getMessage());
        assertTrue(error.getMessage().contains("move it aside"), error.getMessage());
        assertEquals("{\"notes\": 1}", Files.readString(file));
    }
}
