package org.clipwb.core.store;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a server asks a client to wait before it tries again, read as huggingface_hub reads it: on a 429, the
 * {@code RateLimit} header of the IETF draft when it says that no requests remain ({@code "api";r=0;t=55}: the
 * window resets in 55 s); otherwise {@code Retry-After} in seconds, or (which huggingface_hub skips) as an HTTP date.
 */
final class ServerWait {
    /** {@code "<policy>";r=<remaining>;t=<seconds to reset>}, the subset of the draft that the hub sends. */
    private static final Pattern RATE_LIMIT = Pattern.compile(
            "\"\\w+\"\\s*;\\s*r\\s*=\\s*(\\d{1,9})\\s*;\\s*t\\s*=\\s*(\\d{1,9})");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

    private ServerWait() {
    }

    /** The wait that a response of {@code status} asks for, or empty when it names none (or one not understood). */
    static Optional<Duration> of(int status, HttpHeaders headers, Clock clock) {
        if (status == 429) {
            Optional<Duration> reset = headers.firstValue("RateLimit").map(RATE_LIMIT::matcher).filter(Matcher::find)
                    .filter(limit -> Long.parseLong(limit.group(1)) == 0)
                    .map(limit -> Duration.ofSeconds(Long.parseLong(limit.group(2))));
            if (reset.isPresent()) {
                return reset;
            }
        }
        return headers.firstValue("Retry-After").map(String::strip).flatMap(value -> retryAfter(value, clock));
    }

    private static Optional<Duration> retryAfter(String value, Clock clock) {
        if (SECONDS.matcher(value).matches()) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            Duration untilDate = Duration.between(clock.instant(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(untilDate.isNegative() ? Duration.ZERO : untilDate);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
