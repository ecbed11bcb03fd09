package org.clipwb.core.describe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What tests against a {@link LoopbackServer} share: a folder for images, the server, the backoff waits. */
abstract class LoopbackServerTest {
    @TempDir
    Path temp;

    /** Started by the test; stopped after it. */
    LoopbackServer server;

    /** The waits between attempts, recorded instead of slept. */
    final List<Duration> sleeps = new ArrayList<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
