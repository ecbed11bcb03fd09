package org.clipwb.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token, the token file and offline mode, read from the environment as huggingface_hub reads them. */
class HubEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void tokenComesFromHfTokenThenTheOlderVariableThenTheTokenFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "hf_file\n");
        Map<String, String> all = Map.of("HF_TOKEN", " hf_new\r\n", "HUGGING_FACE_HUB_TOKEN", "hf_old",
                "HF_TOKEN_PATH", file.toString());

        assertEquals(Optional.of("hf_new"), HubEnvironment.token(all));
        assertEquals(Optional.of("hf_old"), HubEnvironment.token(Map.of("HF_TOKEN", "", "HUGGING_FACE_HUB_TOKEN",
                "hf_old", "HF_TOKEN_PATH", file.toString())), "an empty HF_TOKEN counts as unset");
        assertEquals(Optional.of("hf_file"), HubEnvironment.token(Map.of("HF_TOKEN", "  ",
                "HF_TOKEN_PATH", file.toString())), "a blank token is no token");
        assertEquals(Optional.empty(), HubEnvironment.token(Map.of("HF_TOKEN_PATH",
                dir.resolve("missing").toString())));
    }

    @Test
    void tokenFileIsHfTokenPathElseTokenInHfHome() {
        String home = System.getProperty("user.home");
        assertEquals(dir.resolve("t"), HubEnvironment.tokenFile(Map.of("HF_TOKEN_PATH", dir.resolve("t").toString(),
                "HF_HOME", "/elsewhere")));
        assertEquals(Path.of(home, "hf", "token"), HubEnvironment.tokenFile(Map.of("HF_HOME", "~/hf")));
        assertEquals(Path.of("/xdg", "huggingface", "token"),
                HubEnvironment.tokenFile(Map.of("XDG_CACHE_HOME", "/xdg")));
        assertEquals(Path.of(home, ".cache", "huggingface", "token"), HubEnvironment.tokenFile(Map.of()));
    }

    @Test
    void tokenIsReadFromTheFileInHfHome() throws Exception {
        Files.writeString(dir.resolve("token"), "hf_logged_in\n");

        assertEquals(Optional.of("hf_logged_in"), HubEnvironment.token(Map.of("HF_HOME", dir.toString())));
    }

    @Test
    void offlineTakesHuggingfaceHubsTrueValuesInAnyCase() {
        for (String on : new String[] {"1", "ON", "yes", "True"}) {
            assertTrue(HubEnvironment.offline(Map.of("HF_HUB_OFFLINE", on)), on);
        }
        for (String off : new String[] {"0", "off", "no", "false", "2", ""}) {
            assertFalse(HubEnvironment.offline(Map.of("HF_HUB_OFFLINE", off)), off);
        }
        assertTrue(HubEnvironment.offline(Map.of("TRANSFORMERS_OFFLINE", "1")));
        assertFalse(HubEnvironment.offline(Map.of("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1")),
                "HF_HUB_OFFLINE, when set, decides");
        assertFalse(HubEnvironment.offline(Map.of()));
    }
}
