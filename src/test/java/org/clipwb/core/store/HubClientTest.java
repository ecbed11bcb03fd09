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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-file downloads against the loopback hub: the hub's metadata and what is refused without it, checksums,
 * authentication, retries and the waits the hub asks for, stalls, parts left by earlier runs, proxies, addresses.
 */
@Timeout(30)
class HubClientTest {
    private static final RepoId REPO = RepoId.parse("openai/clip-vit-base-patch32");
    private static final String WEIGHTS = "model.safetensors";
    private static final String CONFIG = "config.json";

    @TempDir
    Path dir;

    private final Path source = TestData.tinyClip().resolve("hf");
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final DownloadListener listener = DownloadListener.of(progress -> { }, notes::add);
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
    void metadataCarriesTheCommitAndTheChecksumThatVouchesForTheBytes() throws Exception {
        HubClient client = ModelStoreTest.testClient(hub);

        HubFile weights = client.metadata(REPO, "main", WEIGHTS, listener);
        HubFile config = client.metadata(REPO, "main", CONFIG, listener);

        byte[] weightBytes = Files.readAllBytes(source.resolve(WEIGHTS));
        assertEquals(new HubFile(REPO, WEIGHTS, hub.commit(REPO.toString()), FakeHub.sha256Hex(weightBytes),
                weightBytes.length), weights, "an LFS file: X-Linked-Etag and X-Linked-Size, not the redirect's ETag");
        byte[] configBytes = Files.readAllBytes(source.resolve(CONFIG));
        assertEquals(new HubFile(REPO, CONFIG, hub.commit(REPO.toString()), FakeHub.gitBlobSha1(configBytes),
                configBytes.length), config, "a git file: ETag (the blob SHA-1) and Content-Length");
        assertEquals(List.of(), hub.cdnGets(WEIGHTS), "the redirect to the CDN is not followed for metadata");
    }

    @Test
    void downloadFetchesThePinnedCommitEvenAfterMainMoves() throws Exception {
        HubClient client = ModelStoreTest.testClient(hub);
        HubFile config = client.metadata(REPO, "main", CONFIG, listener);
        String pinned = config.commit();
        hub.changeFile(REPO.toString(), CONFIG, "{\"changed\": true}".getBytes(StandardCharsets.UTF_8));

        client.download(config, dir.resolve(CONFIG), listener);

        assertEquals(-1, Files.mismatch(source.resolve(CONFIG), dir.resolve(CONFIG)));
        Request get = hub.requests().get(hub.requests().size() - 1);
        assertEquals("/" + REPO + "/resolve/" + pinned + "/" + CONFIG, get.path());
    }

    @Test
    void tokenGoesToTheHubButNeverToTheCdn() throws Exception {
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).token("hf_secret").build();

        download(client, WEIGHTS);

        List<Request> requests = hub.requests();
        assertEquals(List.of("hub", "hub", "cdn"), requests.stream().map(Request::server).toList(),
                "HEAD and GET to the hub, then the redirected GET to the CDN");
        requests.stream().filter(r -> r.server().equals("hub"))
                .forEach(r -> assertEquals("Bearer hf_secret", r.authorization()));
        assertNull(requests.get(2).authorization());
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void captivePortalPageIsRefusedAndNothingIsWritten() throws Exception {
        hub.actAsCaptivePortal();
        HubClient client = ModelStoreTest.testClient(hub);

        ModelStoreException error = assertThrows(ModelStoreException.class,
                () -> client.metadata(REPO, "main", CONFIG, listener));

        assertTrue(error.getMessage().contains("answered without the hub's headers (no X-Repo-Commit, ETag)"),
                error.getMessage());
        assertTrue(error.getMessage().contains("a proxy or captive portal?"), error.getMessage());
        assertEquals(1, hub.requests().size(), "not retried");
        assertFolderEmpty();
    }

    @Test
    void smallFileIsCheckedAgainstItsGitBlobSha1() throws Exception {
        byte[] original = Files.readAllBytes(source.resolve(CONFIG));
        byte[] corrupt = original.clone();
        corrupt[corrupt.length / 2] ^= 1;
        hub.serveInstead(REPO.toString(), CONFIG, corrupt);
        HubClient client = ModelStoreTest.testClient(hub);

        DownloadIntegrityException error = assertThrows(DownloadIntegrityException.class, () -> download(client, CONFIG));

        assertTrue(error.getMessage().contains("expected git blob SHA-1 " + FakeHub.gitBlobSha1(original)),
                error.getMessage());
        assertNothingDownloaded(CONFIG);
    }

    @Test
    void smallFileOfTheWrongSizeIsRefused() throws Exception {
        byte[] original = Files.readAllBytes(source.resolve(CONFIG));
        hub.serveInstead(REPO.toString(), CONFIG, Arrays.copyOf(original, original.length + 10));
        HubClient client = ModelStoreTest.testClient(hub);

        DownloadIntegrityException error = assertThrows(DownloadIntegrityException.class, () -> download(client, CONFIG));

        assertTrue(error.getMessage().contains("expected " + original.length + " bytes, got " + (original.length + 10)),
                error.getMessage());
        assertNothingDownloaded(CONFIG);
    }

    @Test
    void compressedAnswerIsRefused() throws Exception {
        hub.compressResponses();
        HubClient client = ModelStoreTest.testClient(hub);

        ModelStoreException error = assertThrows(ModelStoreException.class, () -> download(client, CONFIG));

        assertTrue(error.getMessage().contains("compressed (Content-Encoding: gzip)"), error.getMessage());
        hub.requests().forEach(request -> assertEquals("identity", request.acceptEncoding()));
        assertFalse(Files.exists(dir.resolve(CONFIG)));
    }

    @Test
    void serverErrorsAreRetriedWithANote() throws Exception {
        hub.refuseNextHubRequests(2, 503);

        download(ModelStoreTest.testClient(hub), CONFIG);

        assertEquals(List.of(503, 503, 200, 200), hub.requests().stream().map(Request::status).toList());
        assertEquals(-1, Files.mismatch(source.resolve(CONFIG), dir.resolve(CONFIG)));
        assertEquals(List.of("the server answered (HTTP 503 for config.json); waiting 10 ms before retry 1 of 3",
                "the server answered (HTTP 503 for config.json); waiting 20 ms before retry 2 of 3"), notes);
    }

    @Test
    void requestTimeoutIsRetried() throws Exception {
        hub.refuseNextHubRequests(1, 408);

        download(recordingClient().build(), CONFIG);

        assertEquals(List.of(Duration.ofSeconds(1)), waits, "the usual backoff");
        assertEquals(-1, Files.mismatch(source.resolve(CONFIG), dir.resolve(CONFIG)));
    }

    @Test
    void rateLimitWaitsAsRetryAfterSays() throws Exception {
        hub.refuseNextHubRequests(1, 429, "Retry-After", "12");

        download(recordingClient().build(), CONFIG);

        assertEquals(List.of(Duration.ofSeconds(13)), waits, "12 s and one more, as huggingface_hub waits");
        assertEquals(List.of("rate-limited by the hub (HTTP 429 for config.json); waiting 13 s before retry 1 of 4"),
                notes);
        assertEquals(-1, Files.mismatch(source.resolve(CONFIG), dir.resolve(CONFIG)));
    }

    @Test
    void retryAfterMayBeAnHttpDate() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(30).atZone(ZoneOffset.UTC));
        hub.refuseNextHubRequests(1, 429, "Retry-After", inThirtySeconds);

        download(recordingClient().clock(Clock.fixed(now, ZoneOffset.UTC)).build(), CONFIG);

        assertEquals(List.of(Duration.ofSeconds(31)), waits);
    }

    @Test
    void rateLimitHeaderWinsOverRetryAfterWhenNoRequestsRemain() throws Exception {
        hub.refuseNextHubRequests(1, 429, "RateLimit", "\"api\";r=0;t=55", "RateLimit-Policy",
                "\"fixed window\";\"api\";q=500;w=300", "Retry-After", "5");

        download(recordingClient().build(), CONFIG);

        assertEquals(List.of(Duration.ofSeconds(56)), waits);
    }

    @Test
    void waitLongerThanTheCapFailsAtOnceWithAdvice() {
        hub.refuseNextHubRequests(1, 429, "Retry-After", "3600");
        HubClient client = recordingClient().maxServerWait(Duration.ofMinutes(5)).build();

        ModelStoreException error = assertThrows(ModelStoreException.class, () -> download(client, CONFIG));

        assertTrue(error.getMessage().startsWith("rate-limited by the hub (HTTP 429 for config.json): the hub asks to "
                + "wait 3600 s before the next request"), error.getMessage());
        assertTrue(error.getMessage().contains("try again later, or set HF_TOKEN"), error.getMessage());
        assertEquals(List.of(), waits);
        assertEquals(1, hub.requests().size());
    }

    @Test
    void retriesStopAfterTheConfiguredCount() {
        hub.refuseNextHubRequests(100, 503);
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).retries(2, Duration.ofMillis(1)).build();

        ModelStoreException error = assertThrows(ModelStoreException.class, () -> download(client, CONFIG));

        assertTrue(error.getMessage().contains("HTTP 503"), error.getMessage());
        assertTrue(error.getMessage().contains("gave up after 3 failed attempts"), error.getMessage());
        assertEquals(3, hub.requests().size());
        assertFalse(Files.exists(dir.resolve(CONFIG)));
    }

    @Test
    void unreachableHubGivesUpWithClearErrorAndWritesNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HubClient client = HubClient.builder().endpoint(URI.create("http://127.0.0.1:" + closedPort))
                .retries(1, Duration.ofMillis(1)).build();

        ModelStoreException error = assertThrows(ModelStoreException.class, () -> download(client, CONFIG));

        assertTrue(error.getMessage().startsWith("could not download " + REPO + "/config.json"), error.getMessage());
        assertTrue(error.getMessage().contains("gave up after 2 failed attempts"), error.getMessage());
        assertFolderEmpty();
    }

    @Test
    void stalledTransferTimesOutAndResumes() throws Exception {
        hub.failNextCdnGet(Fault.STALL_AFTER_HALF);
        HubClient client = HubClient.builder().endpoint(hub.endpoint()).stallTimeout(Duration.ofMillis(500))
                .retries(2, Duration.ofMillis(1)).build();

        download(client, WEIGHTS);

        List<Request> gets = hub.cdnGets(WEIGHTS);
        assertEquals(2, gets.size());
        String range = gets.get(1).range();
        assertTrue(range != null && range.matches("bytes=\\d+-"), "resumed with " + range);
        long resumedFrom = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(resumedFrom > 0 && resumedFrom <= Files.size(source.resolve(WEIGHTS)) / 2, range);
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void partLeftByEarlierRunOfTheSameCommitIsResumed() throws Exception {
        byte[] weights = Files.readAllBytes(source.resolve(WEIGHTS));
        Files.write(part(WEIGHTS), Arrays.copyOf(weights, 1000));

        download(ModelStoreTest.testClient(hub), WEIGHTS);

        assertEquals(List.of("bytes=1000-"), hub.cdnGets(WEIGHTS).stream().map(Request::range).toList());
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void partOfSmallFileIsResumedToo() throws Exception {
        byte[] config = Files.readAllBytes(source.resolve(CONFIG));
        Files.write(part(CONFIG), Arrays.copyOf(config, 100));

        download(ModelStoreTest.testClient(hub), CONFIG);

        List<Request> gets = hub.requests().stream().filter(r -> r.method().equals("GET")).toList();
        assertEquals(List.of("bytes=100-"), gets.stream().map(Request::range).toList());
        assertEquals(-1, Files.mismatch(source.resolve(CONFIG), dir.resolve(CONFIG)));
    }

    @Test
    void partsOfOtherCommitsAreDiscardedWithANote() throws Exception {
        byte[] weights = Files.readAllBytes(source.resolve(WEIGHTS));
        String otherCommit = "0123456789abcdef0123456789abcdef01234567";
        Files.write(dir.resolve(WEIGHTS + "." + otherCommit + ".part"), Arrays.copyOf(weights, 1000));
        Files.write(dir.resolve(WEIGHTS + ".part"), Arrays.copyOf(weights, 2000)); // an older workbench's, commit unknown

        download(ModelStoreTest.testClient(hub), WEIGHTS);

        List<Request> gets = hub.cdnGets(WEIGHTS);
        assertEquals(1, gets.size());
        assertNull(gets.get(0).range(), "downloaded from the start");
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
        String note = "discarded the partial download of model.safetensors from another commit of " + REPO
                + "; downloading it afresh at commit " + hub.commit(REPO.toString()).substring(0, 7);
        assertEquals(List.of(note, note), notes);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(file -> file.toString().endsWith(".part")).toList());
        }
    }

    @Test
    void corruptPartLeftByEarlierRunIsCaughtAndDeleted() throws Exception {
        byte[] garbage = new byte[1000];
        Arrays.fill(garbage, (byte) 7);
        Files.write(part(WEIGHTS), garbage);
        HubClient client = ModelStoreTest.testClient(hub);

        assertThrows(DownloadIntegrityException.class, () -> download(client, WEIGHTS));
        assertFalse(Files.exists(part(WEIGHTS)));

        download(client, WEIGHTS);
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void completePartIsVerifiedWithoutDownloadingAgain() throws Exception {
        Files.copy(source.resolve(WEIGHTS), part(WEIGHTS));

        download(ModelStoreTest.testClient(hub), WEIGHTS);

        assertEquals(List.of(), hub.cdnGets(WEIGHTS));
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
    }

    @Test
    void proxyFromTheEnvironmentCarriesEveryRequestButNotTheTokenToTheCdn() throws Exception {
        try (LoopbackProxy proxy = new LoopbackProxy()) {
            HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "http_proxy", proxy.address(), "HF_TOKEN", "hf_secret"));

            download(client, WEIGHTS);

            List<String> targets = proxy.targets();
            assertEquals(3, targets.size(), targets.toString());
            assertTrue(targets.get(0).startsWith(hub.endpoint() + "/" + REPO + "/resolve/main/"), targets.toString());
            assertTrue(targets.get(2).matches("http://127\\.0\\.0\\.1:\\d+/cdn/.+"), "absolute-form: " + targets);
            assertEquals(List.of("Bearer hf_secret", "Bearer hf_secret"), hub.requests().stream()
                    .filter(r -> r.server().equals("hub")).map(Request::authorization).toList());
            assertNull(hub.cdnGets(WEIGHTS).get(0).authorization());
            assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
        }
    }

    @Test
    void noProxyListReachesMatchingHostsDirectly() throws Exception {
        try (LoopbackProxy proxy = new LoopbackProxy()) {
            HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "HTTP_PROXY", proxy.address(), "NO_PROXY", "example.com, 127.0.0.1", "HF_TOKEN", "hf_any"));

            download(client, WEIGHTS);

            assertEquals(List.of(), proxy.targets());
            assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), dir.resolve(WEIGHTS)));
        }
    }

    @Test
    void tokenFromTheEnvironmentReachesTheHub() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "  hf_from_file\n");
        HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                "HF_TOKEN_PATH", tokenFile.toString()));

        client.metadata(REPO, "main", CONFIG, listener);

        assertEquals("Bearer hf_from_file", hub.requests().get(0).authorization());
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

    /** A client whose waits are recorded instead of slept. */
    private HubClient.Builder recordingClient() {
        return HubClient.builder().endpoint(hub.endpoint()).stallTimeout(Duration.ofSeconds(2)).sleeper(waits::add);
    }

    private void download(HubClient client, String file) throws IOException, InterruptedException {
        client.download(client.metadata(REPO, "main", file, listener), dir.resolve(file), listener);
    }

    /** Where a download of the repo's current commit keeps the unfinished bytes of {@code file}. */
    private Path part(String file) {
        return dir.resolve(file + "." + hub.commit(REPO.toString()) + ".part");
    }

    /** Neither the file nor a part of it is there (the lock file stays, by design). */
    private void assertNothingDownloaded(String file) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(file + ".lock")), files.toList());
        }
    }

    private void assertFolderEmpty() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
