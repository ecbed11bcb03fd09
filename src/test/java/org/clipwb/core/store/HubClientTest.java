package org.clipwb.core.store;

import org.clipwb.core.store.FakeHub.Fault;
import org.clipwb.core.store.FakeHub.Request;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single-file downloads: authentication, retries, stalls, parts left by earlier runs, addresses. */
@Timeout(30)
class HubClientTest {
    private static final RepoId REPO = RepoId.parse("openai/clip-vit-base-patch32");
    private static final String WEIGHTS = "model.safetensors";

    @TempDir
    Path dir;

    private final Path source = TestData.tinyClip().resolve("hf");
    private FakeHub hub;

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.start().addRepo(REPO.toString(), source);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void tokenGoesToTheHubButNeverToTheCdn() throws Exception {
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).token("hf_secret").build();

        client.download(REPO, WEIGHTS, dir.resolve(WEIGHTS), DownloadListener.NONE);

        List<Request> requests = hub.requests();
        assertEquals(List.of("hub", "hub", "cdn"), requests.stream().map(Request::server).toList(),
                "HEAD and GET to the hub, then the redirected GET to the CDN");
        requests.stream().filter(r -> r.server().equals("hub"))
                .forEach(r -> assertEquals("Bearer hf_secret", r.authorization()));
        assertNull(requests.get(2).authorization());
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        hub.serviceUnavailable(2);

        ModelStoreTest.testClient(hub).download(REPO, "config.json", dir.resolve("config.json"), DownloadListener.NONE);

        assertEquals(List.of(503, 503, 200, 200), hub.requests().stream().map(Request::status).toList());
        assertEquals(-1, Files.mismatch(source.resolve("config.json"), dir.resolve("config.json")));
    }

    @Test
    void retriesStopAfterTheConfiguredCount() {
        hub.serviceUnavailable(100);
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).retries(2, Duration.ofMillis(1)).build();

        ModelStoreException error = assertThrows(ModelStoreException.class,
                () -> client.download(REPO, "config.json", dir.resolve("config.json"), DownloadListener.NONE));

        assertTrue(error.getMessage().contains("HTTP 503"), error.getMessage());
        assertTrue(error.getMessage().contains("gave up after 3 failed attempts"), error.getMessage());
        assertEquals(3, hub.requests().size());
        assertFalse(Files.exists(dir.resolve("config.json")));
    }

    @Test
    void unreachableHubGivesUpWithClearErrorAndWritesNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HubClient client = HubClient.builder().endpoint(URI.create("http://127.0.0.1:" + closedPort))
                .retries(1, Duration.ofMillis(1)).build();

        ModelStoreException error = assertThrows(ModelStoreException.class,
                () -> client.download(REPO, "config.json", dir.resolve("config.json"), DownloadListener.NONE));

        assertTrue(error.getMessage().startsWith("could not download " + REPO + "/config.json"), error.getMessage());
        assertTrue(error.getMessage().contains("gave up after 2 failed attempts"), error.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void stalledTransferTimesOutAndResumes() throws Exception {
        hub.failNextCdnGet(Fault.STALL_AFTER_HALF);
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).stallTimeout(Duration.ofMillis(500))
                .retries(2, Duration.ofMillis(1)).build();

        client.download(REPO, WEIGHTS, dir.resolve(WEIGHTS), DownloadListener.NONE);

        List<Request> gets = hub.cdnGets(WEIGHTS);
        assertEquals(2, gets.size());
        String range = gets.get(1).range();
        assertTrue(range != null && range.matches("bytes=\\d+-"), "resumed with " + range);
        long resumedFrom = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(resumedFrom > 0 && resumedFrom <= Files.size(source.resolve(WEIGHTS)) / 2, range);
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void partLeftByEarlierRunIsResumed() throws Exception {
        byte[] weights = Files.readAllBytes(source.resolve(WEIGHTS));
        Files.write(dir.resolve(WEIGHTS + ".part"), Arrays.copyOf(weights, 1000));

        ModelStoreTest.testClient(hub).download(REPO, WEIGHTS, dir.resolve(WEIGHTS), DownloadListener.NONE);

        assertEquals(List.of("bytes=1000-"), hub.cdnGets(WEIGHTS).stream().map(Request::range).toList());
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void corruptPartLeftByEarlierRunIsCaughtAndDeleted() throws Exception {
        byte[] garbage = new byte[1000];
        Arrays.fill(garbage, (byte) 7);
        Files.write(dir.resolve(WEIGHTS + ".part"), garbage);
        HubClient client = ModelStoreTest.testClient(hub);

        assertThrows(DownloadIntegrityException.class,
                () -> client.download(REPO, WEIGHTS, dir.resolve(WEIGHTS), DownloadListener.NONE));
        assertFalse(Files.exists(dir.resolve(WEIGHTS + ".part")));

        client.download(REPO, WEIGHTS, dir.resolve(WEIGHTS), DownloadListener.NONE);
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void completePartIsVerifiedWithoutDownloadingAgain() throws Exception {
        Files.copy(source.resolve(WEIGHTS), dir.resolve(WEIGHTS + ".part"));

        ModelStoreTest.testClient(hub).download(REPO, WEIGHTS, dir.resolve(WEIGHTS), DownloadListener.NONE);

        assertEquals(List.of(), hub.cdnGets(WEIGHTS));
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void partOfSmallFileWithoutChecksumIsNotResumed() throws Exception {
        Files.writeString(dir.resolve("config.json.part"), "{\"stale\": ");

        ModelStoreTest.testClient(hub).download(REPO, "config.json", dir.resolve("config.json"), DownloadListener.NONE);

        List<Request> gets = hub.requests().stream().filter(r -> r.method().equals("GET")).toList();
        assertEquals(1, gets.size());
        assertNull(gets.get(0).range(), "downloaded from the start");
        assertEquals(-1, Files.mismatch(source.resolve("config.json"), dir.resolve("config.json")));
    }

    @Test
    void fileUrlsFollowTheHubLayoutAndEncodeSegments() {
        HubClient client = HubClient.builder().endpoint(URI.create("https://hub.example/")).build();

        assertEquals(URI.create("https://hub.example/openai/clip-vit-base-patch32/resolve/main/config.json"),
                client.fileUrl(REPO, "main", "config.json"));
        assertEquals(URI.create("https://hub.example/openai/clip-vit-base-patch32/resolve/refs%2Fpr%2F1/sub/a%20b%2Bc.json"),
                client.fileUrl(REPO, "refs/pr/1", "sub/a b+c.json"));
        assertThrows(IllegalArgumentException.class, () -> client.fileUrl(REPO, "main", "../secrets"));
        assertThrows(IllegalArgumentException.class, () -> HubClient.builder().endpoint(URI.create("file:///tmp")));
    }

    @Test
    void environmentSetsEndpointAndDefaultsToThePublicHub() {
        assertEquals(hub.endpoint(), HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint() + "/")).endpoint());
        assertEquals(HubClient.DEFAULT_ENDPOINT, HubClient.fromEnvironment(Map.of()).endpoint());
    }
}
