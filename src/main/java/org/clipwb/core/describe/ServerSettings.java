package org.clipwb.core.describe;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a description server is and how patiently to talk to it.
 *
 * @param baseUrl        the server's address, e.g. {@code http://127.0.0.1:11434}
 * @param model          the model the server should answer with, e.g. {@code llava:7b}
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for one answer; vision models on a CPU can take minutes
 * @param maxRetries     attempts after the first one for time-outs, connection errors, 5xx, 408, 429 and malformed
 *                       answers
 * @param initialBackoff the wait before the first retry; it doubles for each further one (at most 32 times longer)
 */
public record ServerSettings(URI baseUrl, String model, Duration connectTimeout, Duration requestTimeout,
        int maxRetries, Duration initialBackoff) {

    public ServerSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("name the model the server should use");
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("the server address must start with http:// or https://, got " + baseUrl);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero() || maxRetries < 0 || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("time-outs must be positive, retries and backoff not negative");
        }
        String url = baseUrl.toString();
        baseUrl = url.endsWith("/") ? URI.create(url.substring(0, url.length() - 1)) : baseUrl;
    }

    /** A server with the default patience: 10 s to connect, 5 minutes per answer, 3 retries from 2 s. */
    public static ServerSettings of(String baseUrl, String model) {
        return new ServerSettings(URI.create(baseUrl.strip()), model, Duration.ofSeconds(10), Duration.ofMinutes(5),
                3, Duration.ofSeconds(2));
    }

    /** The same server with other time-outs. */
    public ServerSettings withTimeouts(Duration connect, Duration request) {
        return new ServerSettings(baseUrl, model, connect, request, maxRetries, initialBackoff);
    }

    /** The same server with other retries. */
    public ServerSettings withRetries(int retries, Duration backoff) {
        return new ServerSettings(baseUrl, model, connectTimeout, requestTimeout, retries, backoff);
    }
}
