package org.clipwb.core.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Descriptions from any server with OpenAI's chat-completions API (vLLM, llama.cpp's {@code llama-server},
 * LM Studio, Ollama's {@code /v1}): {@code POST {base}/v1/chat/completions} with one user message whose content
 * holds the prompt ({@code {"type": "text"}}) and the images ({@code {"type": "image_url"}} with a
 * {@code data:image/png;base64,} URL), plus {@code max_tokens}, {@code temperature}, {@code stop} and, for several
 * samples, {@code n}; the answers are {@code choices[].message.content}.
 */
public final class OpenAiCompatibleProvider extends ServerDescriptionProvider {
    /**
     * @param apiKeyVariable        the environment variable holding the API key, sent as a bearer token; null or
     *                              blank for servers without keys
     * @param maxChoicesPerRequest  the largest "n" to ask for at once; 1 for servers that refuse n > 1 (llama.cpp)
     */
    public record Options(String apiKeyVariable, int maxChoicesPerRequest) {
        /** No API key; up to 10 samples per request (CuPL's n). */
        public static final Options DEFAULT = new Options(null, 10);

        public Options {
            if (maxChoicesPerRequest < 1) {
                throw new IllegalArgumentException("at least one choice per request, got " + maxChoicesPerRequest);
            }
        }
    }

    private final ServerSettings settings;
    private final Options options;
    private final String path;
    private final JsonHttpClient client;

    /**
     * @param environment where the API key variable is looked up (the process environment in the application)
     * @throws IllegalArgumentException if an API key variable is named but not set
     */
    public OpenAiCompatibleProvider(ServerSettings settings, Options options, Map<String, String> environment) {
        this(settings, options, environment, JsonHttpClient.Sleeper.REAL);
    }

    OpenAiCompatibleProvider(ServerSettings settings, Options options, Map<String, String> environment,
            JsonHttpClient.Sleeper sleeper) {
        this.settings = settings;
        this.options = options;
        // Both "http://host:8000" and "http://host:8000/v1" are common ways to write the base address.
        String v1 = settings.baseUrl().getPath().endsWith("/v1") ? "" : "/v1";
        this.path = v1 + "/chat/completions";
        this.client = new JsonHttpClient(settings, "the OpenAI-compatible server at " + settings.baseUrl(),
                "Is the server running there and serving the model \"" + settings.model() + "\" (it is named in "
                        + "GET " + settings.baseUrl() + v1 + "/models)?",
                authorization(options.apiKeyVariable(), environment), sleeper);
    }

    private static Map<String, String> authorization(String variable, Map<String, String> environment) {
        if (variable == null || variable.isBlank()) {
            return Map.of();
        }
        String key = environment.get(variable.strip());
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the API key variable " + variable.strip() + " is not set: set it, or "
                    + "name no key variable for a server that needs no key");
        }
        return Map.of("Authorization", "Bearer " + key.strip());
    }

    @Override
    public String id() {
        return "openai-compatible " + settings.model() + " at " + settings.baseUrl();
    }

    @Override
    List<String> complete(Completion completion, String subject) throws DescriptionException, InterruptedException {
        ObjectNode body = JsonHttpClient.object()
                .put("model", settings.model())
                .put("max_tokens", completion.maxTokens())
                .put("temperature", completion.temperature());
        ObjectNode message = body.putArray("messages").addObject().put("role", "user");
        if (completion.images().isEmpty()) {
            // Without images, plain string content: the original form, which every chat-completions server takes.
            message.put("content", completion.prompt());
        } else {
            ArrayNode content = message.putArray("content");
            content.addObject().put("type", "text").put("text", completion.prompt());
            completion.images().forEach(png -> content.addObject().put("type", "image_url")
                    .putObject("image_url").put("url", "data:image/png;base64," + png));
        }
        int choices = Math.min(completion.samples(), options.maxChoicesPerRequest());
        if (choices > 1) {
            body.put("n", choices);
        }
        if (completion.stop() != null) {
            body.putArray("stop").add(completion.stop());
        }
        return client.post(path, body, subject, answer -> {
            JsonNode choiceList = answer.path("choices");
            if (!choiceList.isArray() || choiceList.isEmpty()) {
                throw new JsonHttpClient.MalformedAnswer("it has no \"choices\"");
            }
            List<String> texts = new ArrayList<>(choiceList.size());
            for (JsonNode choice : choiceList) {
                JsonNode text = choice.path("message").path("content");
                if (!text.isTextual()) {
                    throw new JsonHttpClient.MalformedAnswer("a choice has no \"message\".\"content\" text");
                }
                texts.add(text.asText());
            }
            return nonBlank(texts);
        });
    }
}
