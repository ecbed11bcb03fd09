package org.clipwb.core.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Descriptions from an Ollama server ({@code ollama serve}) through its native API, with {@code "stream": false}:
 * <ul>
 * <li>{@link Endpoint#GENERATE}: {@code POST /api/generate} with {@code model}, {@code prompt} and {@code images},
 * answered in {@code response};</li>
 * <li>{@link Endpoint#CHAT}: {@code POST /api/chat} with one user message ({@code role}, {@code content},
 * {@code images}), answered in {@code message.content}.</li>
 * </ul>
 * Both send {@code options.temperature}, {@code options.num_predict} and {@code options.stop}. Images are base64
 * without a data-URL prefix. Ollama has no "n": each sample is its own request.
 */
public final class OllamaProvider extends ServerDescriptionProvider {
    /** Where {@code ollama serve} listens by default. */
    public static final String DEFAULT_URL = "http://127.0.0.1:11434";

    /** Which of Ollama's two generation endpoints to use; they answer alike for a single question. */
    public enum Endpoint {
        GENERATE("/api/generate", "/response") {
            @Override
            ObjectNode question(ObjectNode body, String prompt) {
                return body.put("prompt", prompt);
            }
        },
        CHAT("/api/chat", "/message/content") {
            @Override
            ObjectNode question(ObjectNode body, String prompt) {
                return body.putArray("messages").addObject().put("role", "user").put("content", prompt);
            }
        };

        private final String path;
        private final String answerText;

        Endpoint(String path, String answerText) {
            this.path = path;
            this.answerText = answerText;
        }

        /** Puts the prompt into the request body; returns the object the images go into. */
        abstract ObjectNode question(ObjectNode body, String prompt);
    }

    private final ServerSettings settings;
    private final Endpoint endpoint;
    private final JsonHttpClient client;

    public OllamaProvider(ServerSettings settings, Endpoint endpoint) {
        this(settings, endpoint, JsonHttpClient.Sleeper.REAL);
    }

    OllamaProvider(ServerSettings settings, Endpoint endpoint, JsonHttpClient.Sleeper sleeper) {
        this.settings = settings;
        this.endpoint = endpoint;
        this.client = new JsonHttpClient(settings, "the Ollama server at " + settings.baseUrl(),
                "Is `ollama serve` running there, and is the model pulled (`ollama pull " + settings.model() + "`)?",
                Map.of(), sleeper);
    }

    @Override
    public String id() {
        return "ollama " + settings.model() + " at " + settings.baseUrl();
    }

    @Override
    List<String> complete(Completion completion, String subject) throws DescriptionException, InterruptedException {
        ObjectNode body = JsonHttpClient.object().put("model", settings.model()).put("stream", false);
        ObjectNode question = endpoint.question(body, completion.prompt());
        if (!completion.images().isEmpty()) {
            ArrayNode images = question.putArray("images");
            completion.images().forEach(images::add);
        }
        ObjectNode options = body.putObject("options")
                .put("temperature", completion.temperature())
                .put("num_predict", completion.maxTokens());
        if (completion.stop() != null) {
            options.putArray("stop").add(completion.stop());
        }
        return client.post(endpoint.path, body, subject, answer -> {
            JsonNode text = answer.at(endpoint.answerText);
            if (!text.isTextual()) {
                throw new JsonHttpClient.MalformedAnswer("it has no text at " + endpoint.answerText);
            }
            return nonBlank(List.of(text.asText()));
        });
    }
}
