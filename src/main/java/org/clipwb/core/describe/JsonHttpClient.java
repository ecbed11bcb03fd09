package org.clipwb.core.describe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Posts JSON to a description server and reads its JSON answer, the one place where both server providers meet the
 * network. Failures that may pass are retried with exponential backoff: time-outs, connection errors, 5xx, 408, 429
 * and answers that are not the JSON the API sends. Other answers (a 4xx for an unknown model or a bad request, a
 * redirect) are not, since asking again changes nothing. The final error names the server, the request, the problem and what to check.
 */
final class JsonHttpClient {
    /** Waits between attempts; tests pass one that only records. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    /** Reads what a provider needs from an answer, or says why the answer does not have it. */
    @FunctionalInterface
    interface AnswerReader<T> {
        T read(JsonNode answer) throws MalformedAnswer;
    }

    /** The server answered 2xx, but not with what its API promises. */
    static final class MalformedAnswer extends Exception {
        MalformedAnswer(String what) {
            super(what);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BACKOFF_DOUBLINGS = 5;
    private static final int MAX_QUOTED_CHARS = 200;

    private final ServerSettings settings;
    private final String serverName;
    private final String advice;
    private final Map<String, String> headers;
    private final Sleeper sleeper;
    private final HttpClient http;

    /**
     * @param serverName how errors name the server: "the Ollama server at http://127.0.0.1:11434"
     * @param advice     what to check when it fails: "Is `ollama serve` running there?"
     * @param headers    sent with every request (an API key); never put into messages
     */
    JsonHttpClient(ServerSettings settings, String serverName, String advice, Map<String, String> headers,
            Sleeper sleeper) {
        this.settings = settings;
        this.serverName = serverName;
        this.advice = advice;
        this.headers = Map.copyOf(headers);
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    /** A JSON object to fill in as a request body. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * Posts {@code body} to {@code path} under the base URL and reads the answer with {@code reader}.
     *
     * @param subject what is being described, for messages: "image /photos/a.jpg"
     */
    <T> T post(String path, JsonNode body, String subject, AnswerReader<T> reader)
            throws DescriptionException, InterruptedException {
        URI uri = URI.create(settings.baseUrl() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        headers.forEach(request::header);
        for (int attempt = 1; ; attempt++) {
            Failure failure;
            try {
                HttpResponse<String> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status / 100 == 2) {
                    try {
                        return reader.read(parse(response.body()));
                    } catch (MalformedAnswer e) {
                        failure = new Failure("its answer was not usable: " + e.getMessage(), null, true);
                    }
                } else {
                    failure = new Failure("HTTP " + status + serverMessage(response.body()), null,
                            status >= 500 || status == 408 || status == 429);
                }
            } catch (HttpConnectTimeoutException e) {
                failure = new Failure("no connection within " + seconds(settings.connectTimeout()), e, true);
            } catch (HttpTimeoutException e) {
                failure = new Failure("no answer within " + seconds(settings.requestTimeout()), e, true);
            } catch (ConnectException e) {
                failure = new Failure("could not connect (" + (e.getMessage() == null ? "connection refused"
                        : e.getMessage()) + ")", e, true);
            } catch (IOException e) {
                failure = new Failure("the connection failed (" + e + ")", e, true);
            }
            if (!failure.retryable()) {
                throw new DescriptionException(failure(subject, failure.problem()
                        + " (not retried: asking again would get the same answer)"));
            }
            if (attempt > settings.maxRetries()) {
                throw new DescriptionException(failure(subject, failure.problem() + " (gave up after " + attempt
                        + (attempt == 1 ? " attempt" : " attempts") + ")"), failure.cause());
            }
            sleeper.sleep(settings.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, MAX_BACKOFF_DOUBLINGS)));
        }
    }

    /** Why one attempt failed, and whether another may succeed. */
    private record Failure(String problem, IOException cause, boolean retryable) {
    }

    private String failure(String subject, String problem) {
        return serverName + " could not describe " + subject + ": " + problem + ". " + advice;
    }

    private static JsonNode parse(String body) throws MalformedAnswer {
        if (body == null || body.isBlank()) {
            throw new MalformedAnswer("it was empty");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedAnswer("it is not JSON: " + quote(body));
        }
    }

    /** What the server said about an error: Ollama's {@code {"error": "..."}}, OpenAI's {@code error.message}. */
    private static String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText("");
            return " (" + (message.isBlank() ? quote(body) : message) + ")";
        } catch (JsonProcessingException e) {
            return " (" + quote(body) + ")";
        }
    }

    private static String quote(String text) {
        String line = AnswerText.oneLine(text);
        return line.length() <= MAX_QUOTED_CHARS ? line : line.substring(0, MAX_QUOTED_CHARS) + "…";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
