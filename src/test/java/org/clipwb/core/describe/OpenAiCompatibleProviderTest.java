package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clipwb.core.describe.LoopbackServer.Reply;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleProviderTest extends LoopbackServerTest {
    private static final String DATA_URL = "data:image/png;base64,";

    /** Answers with as many choices as asked ("n", else one), or with at most {@code maxChoices}. */
    private void start(int maxChoices) throws Exception {
        server = LoopbackServer.start(request -> {
            int n = Math.min(request.body().path("n").asInt(1), maxChoices);
            return Reply.ok(answer(n, "choice"));
        });
    }

    private OpenAiCompatibleProvider provider(String base, OpenAiCompatibleProvider.Options options,
            Map<String, String> environment) {
        ServerSettings settings = ServerSettings.of(base, "llava-hf/llava-v1.6-mistral-7b-hf")
                .withRetries(2, Duration.ofMillis(50));
        return new OpenAiCompatibleProvider(settings, options, environment, sleeps::add);
    }

    private static String answer(int choices, String text) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("object", "chat.completion");
        ArrayNode list = answer.putArray("choices");
        for (int i = 0; i < choices; i++) {
            list.addObject().put("index", i).putObject("message").put("role", "assistant").put("content", text + " " + i);
        }
        return answer.toString();
    }

    @Test
    void imageGoesAsADataUrlBesideThePromptWithTheBearerKey() throws Exception {
        start(Integer.MAX_VALUE);
        OpenAiCompatibleProvider vllm = provider(server.url(), new OpenAiCompatibleProvider.Options("MY_KEY", 10),
                Map.of("MY_KEY", "secret-123"));
        Path image = TestImages.write(temp, "blue.png", 20, 10, Color.BLUE);

        assertEquals("choice 0", vllm.describeImage(image, "Describe the pet in the photo concisely."));

        LoopbackServer.Request request = server.requests().get(0);
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("Bearer secret-123", request.authorization());
        JsonNode body = request.body();
        assertEquals("llava-hf/llava-v1.6-mistral-7b-hf", body.path("model").asText());
        assertEquals(77, body.path("max_tokens").asInt());
        assertEquals(0.0, body.path("temperature").asDouble(-1));
        assertTrue(body.path("n").isMissingNode(), "one sample: no n");
        JsonNode content = body.path("messages").get(0).path("content");
        assertEquals("user", body.path("messages").get(0).path("role").asText());
        assertEquals("text", content.get(0).path("type").asText());
        assertEquals("Describe the pet in the photo concisely.", content.get(0).path("text").asText());
        assertEquals("image_url", content.get(1).path("type").asText());
        String url = content.get(1).path("image_url").path("url").asText();
        assertTrue(url.startsWith(DATA_URL), url.substring(0, 40));
        BufferedImage sent = TestImages.decodePng(url.substring(DATA_URL.length()));
        assertEquals(20, sent.getWidth());
        assertEquals(10, sent.getHeight());
        assertFalse(vllm.id().contains("secret"), "the key stays out of the provenance");
        assertEquals("openai-compatible llava-hf/llava-v1.6-mistral-7b-hf at " + server.url(), vllm.id());
    }

    @Test
    void classSamplesAskForNAtOnce() throws Exception {
        start(Integer.MAX_VALUE);
        OpenAiCompatibleProvider vllm = provider(server.url() + "/v1", OpenAiCompatibleProvider.Options.DEFAULT,
                Map.of());

        List<String> sentences = vllm.describeClass("circle", DescriptionRequest.CUPL);

        assertEquals(50, sentences.size());
        assertEquals("choice 0.", sentences.get(0));
        assertEquals(5, server.requests().size(), "one request per question");
        JsonNode body = server.requests().get(1).body();
        assertEquals("/v1/chat/completions", server.requests().get(1).path(), "a base ending in /v1 is not doubled");
        assertEquals("How can you identify a circle?", body.path("messages").get(0).path("content").asText());
        assertEquals(10, body.path("n").asInt());
        assertEquals(0.99, body.path("temperature").asDouble(), 1e-9);
        assertEquals(50, body.path("max_tokens").asInt());
        assertEquals(".", body.path("stop").get(0).asText());
        assertNull(server.requests().get(0).authorization());
    }

    @Test
    void serversThatIgnoreNAreAskedAgainForTheRest() throws Exception {
        start(3);
        OpenAiCompatibleProvider server3 = provider(server.url(), OpenAiCompatibleProvider.Options.DEFAULT, Map.of());

        List<String> sentences = server3.describeClass("circle", new DescriptionRequest(7, 0.99, 50));

        assertEquals(35, sentences.size());
        List<Integer> asked = server.requests().stream().map(r -> r.body().path("n").asInt(1)).toList();
        assertEquals(List.of(7, 4, 1), asked.subList(0, 3), "7 wanted, 3 came, 4 wanted, 3 came, 1 wanted");
    }

    @Test
    void oneChoicePerRequestForServersThatRefuseN() throws Exception {
        start(Integer.MAX_VALUE);
        OpenAiCompatibleProvider llamaCpp = provider(server.url(), new OpenAiCompatibleProvider.Options(null, 1),
                Map.of());

        llamaCpp.describeClass("circle", new DescriptionRequest(2, 0.99, 50));

        assertEquals(10, server.requests().size());
        assertTrue(server.requests().stream().allMatch(r -> r.body().path("n").isMissingNode()));
    }

    @Test
    void tooManyRequestsIsRetriedBadRequestIsNot() throws Exception {
        start(Integer.MAX_VALUE);
        OpenAiCompatibleProvider vllm = provider(server.url(), OpenAiCompatibleProvider.Options.DEFAULT, Map.of());
        Path image = TestImages.write(temp, "x.png", 8, 8, Color.RED);
        server.queue(Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}"));
        assertEquals("choice 0", vllm.describeImage(image, "Go."));
        assertEquals(1, sleeps.size());

        server.queue(Reply.status(400, "{\"error\":{\"message\":\"The model does not support images\","
                + "\"type\":\"BadRequestError\"}}"));
        DescriptionException error = assertThrows(DescriptionException.class, () -> vllm.describeImage(image, "Go."));
        assertEquals(3, server.requests().size());
        String message = error.getMessage();
        assertTrue(message.startsWith("the OpenAI-compatible server at " + server.url() + " could not describe image "
                + image + ": HTTP 400 (The model does not support images)"), message);
        assertTrue(message.contains("GET " + server.url() + "/v1/models"), message);
    }

    @Test
    void answersWithoutChoicesAreMalformed() throws Exception {
        start(Integer.MAX_VALUE);
        OpenAiCompatibleProvider vllm = provider(server.url(), OpenAiCompatibleProvider.Options.DEFAULT, Map.of());
        server.queue(Reply.ok("{\"choices\": []}"), Reply.ok("{\"choices\": [{\"message\": {\"content\": \"  \"}}]}"),
                Reply.ok("<html>proxy error</html>"));

        DescriptionException error = assertThrows(DescriptionException.class,
                () -> vllm.describeClass("circle", DescriptionRequest.CUPL));

        assertTrue(error.getMessage().contains("its answer was not usable: it is not JSON: <html>proxy error</html>"),
                error.getMessage());
        assertTrue(error.getMessage().contains("gave up after 3 attempts"), error.getMessage());
    }

    @Test
    void aNamedKeyVariableMustBeSet() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> provider(
                "http://127.0.0.1:1", new OpenAiCompatibleProvider.Options("OPENAI_API_KEY", 10), Map.of()));
        assertTrue(error.getMessage().contains("OPENAI_API_KEY is not set"), error.getMessage());
    }
}
