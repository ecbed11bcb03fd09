package org.clipwb.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Hugging Face settings that huggingface_hub reads from the environment, read as it reads them (its
 * {@code constants.py} and {@code utils/_auth.py}): the access token, where it is stored, and offline mode.
 */
final class HubEnvironment {
    /** The values that switch a flag on, in any case (huggingface_hub's {@code ENV_VARS_TRUE_VALUES}). */
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    private HubEnvironment() {
    }

    /** Whether a flag variable's value switches it on: 1, on, yes or true, in any case. */
    static boolean isTrue(String value) {
        return value != null && TRUE_VALUES.contains(value.strip().toUpperCase(Locale.ROOT));
    }

    /** Whether huggingface_hub's offline switch is on: {@code HF_HUB_OFFLINE}, or if unset {@code TRANSFORMERS_OFFLINE}. */
    static boolean offline(Map<String, String> env) {
        return isTrue(firstSet(env, "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE").orElse(null));
    }

    /**
     * The access token: {@code HF_TOKEN}, else {@code HUGGING_FACE_HUB_TOKEN} (its older name), else the content of
     * the {@linkplain #tokenFile token file} that {@code hf auth login} writes; line breaks and surrounding blanks
     * removed. Empty when none holds a token.
     *
     * @throws IllegalArgumentException the token file exists but cannot be read
     */
    static Optional<String> token(Map<String, String> env) {
        Optional<String> variable = firstSet(env, "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN").flatMap(HubEnvironment::clean);
        if (variable.isPresent()) {
            return variable;
        }
        Path file = tokenFile(env);
        try {
            return clean(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read the Hugging Face token file " + file + " (" + e
                    + "); fix or delete it, or set HF_TOKEN", e);
        }
    }

    /**
     * {@code HF_TOKEN_PATH}, else {@code token} in {@code HF_HOME}, which defaults to {@code huggingface} in
     * {@code XDG_CACHE_HOME} or in {@code ~/.cache}.
     */
    static Path tokenFile(Map<String, String> env) {
        Optional<String> explicit = firstSet(env, "HF_TOKEN_PATH");
        if (explicit.isPresent()) {
            return expandHome(explicit.get());
        }
        Path home = firstSet(env, "HF_HOME").map(HubEnvironment::expandHome)
                .orElseGet(() -> firstSet(env, "XDG_CACHE_HOME").map(HubEnvironment::expandHome)
                        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache"))
                        .resolve("huggingface"));
        return home.resolve("token");
    }

    /** The first of the variables that is set and not empty (huggingface_hub chains them with Python's {@code or}). */
    private static Optional<String> firstSet(Map<String, String> env, String... names) {
        return Stream.of(names).map(env::get).filter(value -> value != null && !value.isEmpty()).findFirst();
    }

    private static Optional<String> clean(String token) {
        return Optional.of(token.replace("\r", "").replace("\n", "").strip()).filter(value -> !value.isEmpty());
    }

    /** A path with a leading {@code ~} read as the user's home folder, as Python's {@code expanduser} does. */
    private static Path expandHome(String path) {
        return path.equals("~") || path.startsWith("~/")
                ? Path.of(System.getProperty("user.home") + path.substring(1))
                : Path.of(path);
    }
}
