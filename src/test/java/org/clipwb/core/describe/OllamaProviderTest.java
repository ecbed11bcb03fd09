package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clipwb.core.describe.LoopbackServer.Reply;
import org.junit.jupiter.api.Test;

class OllamaProviderTest extends LoopbackServerTest {
    private static final Duration BACKOFF = Duration.ofMillis(100);

    /** A server answering every request like Ollama, with "answer N" (N counting from 1) as the text. */
    private OllamaProvider start(OllamaProvider.Endpoint endpoint) throws Exception {
        server = LoopbackServer.start(request -> Reply.ok(answer(endpoint, "answer " + (server.requests().size()))));
        return provider(endpoint, Duration.ofSeconds(5));
    }

    private OllamaProvider provider(OllamaProvider.Endpoint endpoint, Duration requestTimeout) {
        ServerSettings settings = ServerSettings.of(server.url(), "llava:7b")
                .withTimeouts(Duration.ofSeconds(2), requestTimeout)
                .withRetries(3, BACKOFF);
        return new OllamaProvider(settings, endpoint, sleeps::add);
    }

    private static String answer(OllamaProvider.Endpoint endpoint, String text) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("model", "llava:7b").put("done", true);
        if (endpoint == OllamaProvider.Endpoint.GENERATE) {
            answer.put("response", text);
        } else {
            answer.putObject("message").put("role", "assistant").put("content", text);
        }
        return answer.toString();
    }

    @Test
    void generateSendsThePromptAndTheImageAsBase64PngAndReadsResponse() throws Exception {
        server = LoopbackServer.start(request -> Reply.ok(answer(OllamaProvider.Endpoint.GENERATE,
                " A red square\non a plain background. ")));
        OllamaProvider ollama = provider(OllamaProvider.Endpoint.GENERATE, Duration.ofSeconds(5));
        Path image = TestImages.write(temp, "red.png", 40, 30, Color.RED);

        String description = ollama.describeImage(image, "Describe the object in the photo concisely.");

        assertEquals("A red square on a plain background.", description, "on one line, trimmed");
        LoopbackServer.Request request = server.requests().get(0);
        assertEquals("/api/generate", request.path());
        JsonNode body = request.body();
        assertEquals("llava:7b", body.path("model").asText());
        assertEquals("Describe the object in the photo concisely.", body.path("prompt").asText());
        assertFalse(body.path("stream").asBoolean(true));
        assertEquals(0.0, body.path("options").path("temperature").asDouble(-1), "greedy, as LatteCLIP");
        assertEquals(77, body.path("options").path("num_predict").asInt());
        assertTrue(body.path("options").path("stop").isMissingNode());
        BufferedImage sent = TestImages.decodePng(body.path("images").get(0).asText());
        assertEquals(40, sent.getWidth());
        assertEquals(30, sent.getHeight());
        assertEquals(Color.RED.getRGB(), sent.getRGB(20, 15));
    }

    @Test
    void chatSendsTheGroupCompositeInTheUserMessage() throws Exception {
        OllamaProvider ollama = start(OllamaProvider.Endpoint.CHAT);
        List<Path> group = List.of(
                TestImages.write(temp, "a.png", 64, 32, Color.RED),
                TestImages.write(temp, "b.png", 32, 64, Color.GREEN),
                TestImages.write(temp, "c.png", 50, 50, Color.BLUE),
                TestImages.write(temp, "d.png", 50, 50, Color.WHITE));

        String description = ollama.describeGroup(group, "Describe the common visual attributes.");

        assertEquals("answer 1", description);
        LoopbackServer.Request request = server.requests().get(0);
        assertEquals("/api/chat", request.path());
        JsonNode message = request.body().path("messages").get(0);
        assertEquals("user", message.path("role").asText());
        assertEquals("Describe the common visual attributes.", message.path("content").asText());
        assertEquals(1, message.path("images").size(), "the group travels as one picture");
        BufferedImage composite = TestImages.decodePng(message.path("images").get(0).asText());
        assertEquals(GroupComposite.CANVAS_SIDE, composite.getWidth());
        assertEquals(GroupComposite.CANVAS_SIDE, composite.getHeight());
        assertEquals(Color.RED.getRGB(), composite.getRGB(163, 163), "first image, top left cell");
        assertEquals(Color.WHITE.getRGB(), composite.getRGB(346 + 163, 346 + 163), "fourth image, bottom right");
        assertEquals(Color.BLACK.getRGB(), composite.getRGB(336, 100), "the gap between cells is black");
    }

    @Test
    void classDescriptionsAskEachCuplQuestionOncePerSample() throws Exception {
        OllamaProvider ollama = start(OllamaProvider.Endpoint.GENERATE);

        List<String> sentences = ollama.describeClass("Egyptian cat", new DescriptionRequest(2, 0.99, 50));

        assertEquals(10, sentences.size(), "5 questions x 2 samples, one request each: Ollama has no n");
        assertEquals("answer 1.", sentences.get(0));
        assertEquals(10, server.requests().size());
        JsonNode first = server.requests().get(0).body();
        assertEquals("Describe what an Egyptian cat looks like", first.path("prompt").asText());
        assertEquals(0.99, first.path("options").path("temperature").asDouble(), 1e-9);
        assertEquals(50, first.path("options").path("num_predict").asInt());
        assertEquals(".", first.path("options").path("stop").get(0).asText());
        assertTrue(first.path("images").isMissingNode(), "no images for text questions");
        assertEquals("A caption of an image of an Egyptian cat:", server.requests().get(9).body().path("prompt").asText());
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackoff() throws Exception {
        OllamaProvider ollama = start(OllamaProvider.Endpoint.GENERATE);
        server.queue(Reply.status(500, "{\"error\":\"runner crashed\"}"), Reply.status(503, ""));

        assertEquals("answer 3", ollama.describeImage(TestImages.write(temp, "x.png", 8, 8, Color.RED), "Describe."));
        assertEquals(3, server.requests().size());
        assertEquals(List.of(BACKOFF, BACKOFF.multipliedBy(2)), sleeps);
    }

    @Test
    void aTimeOutIsRetried() throws Exception {
        server = LoopbackServer.start(request -> Reply.ok(answer(OllamaProvider.Endpoint.GENERATE, "late but fine")));
        server.queue(Reply.ok(answer(OllamaProvider.Endpoint.GENERATE, "too late")).after(Duration.ofSeconds(3)));
        OllamaProvider ollama = provider(OllamaProvider.Endpoint.GENERATE, Duration.ofMillis(500));

        assertEquals("late but fine", ollama.describeImage(TestImages.write(temp, "x.png", 8, 8, Color.RED), "Go."));
        assertEquals(2, server.requests().size());
        assertEquals(1, sleeps.size());
    }

    @Test
    void malformedAnswersAreRetried() throws Exception {
        OllamaProvider ollama = start(OllamaProvider.Endpoint.CHAT);
        server.queue(Reply.ok("{\"model\": \"llava:7b\", \"mess"), Reply.ok("{\"done\": true}"), Reply.ok(""));

        assertEquals("answer 4", ollama.describeImage(TestImages.write(temp, "x.png", 8, 8, Color.RED), "Go."));
        assertEquals(4, server.requests().size());
    }

    @Test
    void persistentFailureNamesTheServerTheRequestAndWhatToCheck() throws Exception {
        OllamaProvider ollama = start(OllamaProvider.Endpoint.GENERATE);
        server.queue(Reply.status(500, "{\"error\":\"out of memory\"}"), Reply.status(500, "{\"error\":\"out of memory\"}"),
                Reply.status(500, "{\"error\":\"out of memory\"}"), Reply.status(500, "{\"error\":\"out of memory\"}"));
        Path image = TestImages.write(temp, "cat.png", 8, 8, Color.RED);

        DescriptionException error = assertThrows(DescriptionException.class,
                () -> ollama.describeImage(image, "Go."));

        String message = error.getMessage();
        assertTrue(message.contains("the Ollama server at " + server.url()), message);
        assertTrue(message.contains("image " + image), message);
        assertTrue(message.contains("HTTP 500 (out of memory)"), message);
        assertTrue(message.contains("gave up after 4 attempts"), message);
        assertTrue(message.contains("ollama serve") && message.contains("ollama pull llava:7b"), message);
        assertEquals(4, server.requests().size());
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        OllamaProvider ollama = start(OllamaProvider.Endpoint.GENERATE);
        server.queue(Reply.status(404, "{\"error\":\"model \\\"llava:7b\\\" not found, try pulling it first\"}"));

        DescriptionException error = assertThrows(DescriptionException.class,
                () -> ollama.describeClass("cat", DescriptionRequest.CUPL));

        assertEquals(1, server.requests().size());
        assertTrue(sleeps.isEmpty());
        assertTrue(error.getMessage().contains("class \"cat\" (CuPL question 1 of 5)"), error.getMessage());
        assertTrue(error.getMessage().contains("HTTP 404 (model \"llava:7b\" not found, try pulling it first)"),
                error.getMessage());
        assertTrue(error.getMessage().contains("not retried"), error.getMessage());
    }

    @Test
    void noServerListeningIsAConnectionErrorAfterRetries() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        OllamaProvider ollama = new OllamaProvider(ServerSettings.of("http://127.0.0.1:" + freePort, "llava:7b")
                .withRetries(2, BACKOFF), OllamaProvider.Endpoint.GENERATE, sleeps::add);

        DescriptionException error = assertThrows(DescriptionException.class,
                () -> ollama.describeClass("cat", DescriptionRequest.CUPL));

        assertTrue(error.getMessage().contains("could not connect"), error.getMessage());
        assertTrue(error.getMessage().contains("gave up after 3 attempts"), error.getMessage());
        assertEquals(2, sleeps.size());
    }

    @Test
    void idNamesModelAndServer() {
        OllamaProvider ollama = new OllamaProvider(ServerSettings.of(OllamaProvider.DEFAULT_URL + "/", "llava:7b"),
                OllamaProvider.Endpoint.CHAT);
        assertEquals("ollama llava:7b at http://127.0.0.1:11434", ollama.id());
    }
}
