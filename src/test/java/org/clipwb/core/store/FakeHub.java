package org.clipwb.core.store;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback imitation of the Hugging Face hub and its CDN, on two ephemeral ports of 127.0.0.1 (two origins, as on
 * the real hub), answering as huggingface_hub expects the hub to (its {@code file_download.py}):
 * {@code /{owner}/{name}/resolve/{revision}/{file}}, where the revision is {@code main} or a commit id, answers every
 * file with {@code X-Repo-Commit}; LFS files (.safetensors, .bin) with a 302 to the CDN carrying {@code X-Linked-Size}
 * and {@code X-Linked-Etag} (the SHA-256) beside an {@code ETag} that is the redirect's own, not the file's; other
 * files with 200, {@code Content-Length} and their git blob SHA-1 as {@code ETag}. Every change to a repo is a new
 * commit that {@code main} moves to; older commits stay addressable. Both honour {@code Range: bytes=N-}. Faults,
 * refusals, a captive portal and a compressing proxy can be staged. Public for the desktop app's download tests.
 */
public final class FakeHub implements AutoCloseable {
    /** One request as the server saw it, with the status it answered. */
    record Request(String server, String method, String path, String range, String authorization,
                   String acceptEncoding, int status) {
    }

    /** What the next CDN GET does wrong. */
    public enum Fault {
        /** Sends half of the requested bytes, then closes the connection. */
        DROP_AFTER_HALF,
        /** Sends half of the requested bytes, then goes silent until {@link #releaseStalls()} or closing. */
        STALL_AFTER_HALF
    }

    /** An answer staged for the next hub request instead of the file. */
    private record Refusal(int status, Map<String, String> headers) {
    }

    /** A repo's commits (commit id → file name → bytes) and the commit {@code main} points to. */
    private static final class Repo {
        final Map<String, Map<String, byte[]>> commits = new ConcurrentHashMap<>();
        volatile String main;
    }

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([^/]+/[^/]+)/([0-9a-f]{40})/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final long STALL_LIMIT_SECONDS = 10;
    private static final byte[] PORTAL_PAGE = "<html><body>Welcome! Please log in to use the network.</body></html>"
            .getBytes(StandardCharsets.UTF_8);

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per request.
        // Read once, when the JVM's first HttpServer starts: only a speed-up, so harmless if that already happened.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-hub");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger commitCount = new AtomicInteger();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    /** repo id + "/" + file → different bytes that a GET serves instead (a corrupted or truncated copy). */
    private final Map<String, byte[]> replacements = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Refusal> refusals = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch stallRelease = new CountDownLatch(1);
    private volatile boolean ignoreRange;
    private volatile boolean captivePortal;
    private volatile boolean compressing;

    private FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", exchange -> handle("hub", exchange));
        cdn.createContext("/", exchange -> handle("cdn", exchange));
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    public static FakeHub start() throws IOException {
        return new FakeHub();
    }

    /** The hub's address, to give a {@link HubClient}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** Publishes every file of {@code folder} as a new commit of repo {@code repoId} (created if new). */
    public FakeHub addRepo(String repoId, Path folder) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        commit(repos.computeIfAbsent(repoId, id -> new Repo()), repoId, files);
        return this;
    }

    /** The commit that {@code main} of a repo points to. */
    String commit(String repoId) {
        return repos.get(repoId).main;
    }

    /** Commits the removal of one file of a repo. */
    void removeFile(String repoId, String file) {
        change(repoId, files -> files.remove(file));
    }

    /** Commits new bytes for one file of a repo. */
    void changeFile(String repoId, String file, byte[] bytes) {
        change(repoId, files -> files.put(file, bytes));
    }

    /** Makes GETs of a file serve {@code bytes} while its metadata still announces the original's size and ETag. */
    void serveInstead(String repoId, String file, byte[] bytes) {
        replacements.put(repoId + "/" + file, bytes);
    }

    /** Queues a fault for the next CDN GET that has not consumed one yet. */
    public synchronized void failNextCdnGet(Fault fault) {
        faults.addLast(fault);
    }

    /** Makes the hub and the CDN answer every range request with the whole file (status 200). */
    void ignoreRange() {
        ignoreRange = true;
    }

    /** Makes the next {@code count} hub requests answer {@code status} with the given headers (name, value, ...). */
    synchronized void refuseNextHubRequests(int count, int status, String... headerNamesAndValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            headers.put(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        for (int i = 0; i < count; i++) {
            refusals.addLast(new Refusal(status, headers));
        }
    }

    /** Makes the hub answer every request like a captive portal: 200 and a log-in page, without the hub's headers. */
    void actAsCaptivePortal() {
        captivePortal = true;
    }

    /** Makes the hub gzip the files it serves itself, whatever the client accepts, as some proxies do. */
    void compressResponses() {
        compressing = true;
    }

    /** Lets stalled CDN responses end (by closing their connection). */
    public void releaseStalls() {
        stallRelease.countDown();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> cdnGets(String file) {
        return requests.stream().filter(r -> r.server().equals("cdn") && r.path().endsWith("/" + file)).toList();
    }

    @Override
    public void close() {
        stallRelease.countDown();
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256", bytes));
    }

    /** The ETag of a file that git stores itself: {@code sha1("blob " + length + "\0" + bytes)}. */
    static String gitBlobSha1(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] blob = new byte[header.length + content.length];
        System.arraycopy(header, 0, blob, 0, header.length);
        System.arraycopy(content, 0, blob, header.length, content.length);
        return HexFormat.of().formatHex(digest("SHA-1", blob));
    }

    private void change(String repoId, Consumer<Map<String, byte[]>> edit) {
        Repo repo = repos.get(repoId);
        Map<String, byte[]> files = new HashMap<>(repo.commits.get(repo.main));
        edit.accept(files);
        commit(repo, repoId, files);
    }

    private void commit(Repo repo, String repoId, Map<String, byte[]> files) {
        String commit = HexFormat.of().formatHex(digest("SHA-1",
                (repoId + "#" + commitCount.incrementAndGet()).getBytes(StandardCharsets.UTF_8)));
        repo.commits.put(commit, Map.copyOf(files));
        repo.main = commit;
    }

    private void handle(String server, HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Matcher resolve = RESOLVE.matcher(path);
            Matcher cdnPath = CDN.matcher(path);
            if (server.equals("hub") && captivePortal) {
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                sendBody("hub", exchange, 200, PORTAL_PAGE, 0, PORTAL_PAGE.length, null);
            } else if (server.equals("hub") && resolve.matches()) {
                resolve(exchange, resolve.group(1), resolve.group(2), resolve.group(3));
            } else if (server.equals("cdn") && cdnPath.matches()) {
                serveCdn(exchange, cdnPath.group(1), cdnPath.group(2), cdnPath.group(3));
            } else {
                respond(server, exchange, 404, -1);
            }
        }
    }

    private void resolve(HttpExchange exchange, String repoId, String revision, String file) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        Refusal refusal;
        synchronized (this) {
            refusal = refusals.pollFirst();
        }
        if (refusal != null) {
            refusal.headers().forEach(headers::set);
            respond("hub", exchange, refusal.status(), -1);
            return;
        }
        Repo repo = repos.get(repoId);
        if (repo == null) {
            headers.set("X-Error-Code", "RepoNotFound");
            respond("hub", exchange, 404, -1);
            return;
        }
        String commit = revision.equals("main") ? repo.main : revision;
        Map<String, byte[]> files = repo.commits.get(commit);
        if (files == null) {
            headers.set("X-Error-Code", "RevisionNotFound");
            respond("hub", exchange, 404, -1);
            return;
        }
        headers.set("X-Repo-Commit", commit);
        byte[] content = files.get(file);
        if (content == null) {
            headers.set("X-Error-Code", "EntryNotFound");
            respond("hub", exchange, 404, -1);
            return;
        }
        if (file.endsWith(".safetensors") || file.endsWith(".bin")) {
            headers.set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + repoId + "/" + commit
                    + "/" + file);
            headers.set("X-Linked-Size", Long.toString(content.length));
            headers.set("X-Linked-Etag", "\"" + sha256Hex(content) + "\"");
            // The redirect's own ETag: the git blob of the LFS pointer, which a client must not take for the file's.
            headers.set("ETag", "\"" + gitBlobSha1(("oid sha256:" + sha256Hex(content)).getBytes(
                    StandardCharsets.US_ASCII)) + "\"");
            respond("hub", exchange, 302, -1);
            return;
        }
        headers.set("ETag", "\"" + gitBlobSha1(content) + "\"");
        boolean get = exchange.getRequestMethod().equals("GET");
        byte[] served = get ? replacements.getOrDefault(repoId + "/" + file, content) : content;
        if (compressing && get) {
            headers.set("Content-Encoding", "gzip");
            byte[] compressed = gzip(served);
            sendBody("hub", exchange, 200, compressed, 0, compressed.length, null);
        } else {
            serveFrom("hub", exchange, served, null);
        }
    }

    private void serveCdn(HttpExchange exchange, String repoId, String commit, String file) throws IOException {
        Repo repo = repos.get(repoId);
        Map<String, byte[]> files = repo == null ? null : repo.commits.get(commit);
        byte[] content = files == null ? null : replacements.getOrDefault(repoId + "/" + file, files.get(file));
        if (content == null) {
            respond("cdn", exchange, 404, -1);
            return;
        }
        Fault fault;
        synchronized (this) {
            fault = exchange.getRequestMethod().equals("GET") ? faults.pollFirst() : null;
        }
        serveFrom("cdn", exchange, content, fault);
    }

    /** Serves {@code content} from the byte that a {@code Range: bytes=N-} header asks for, or whole. */
    private void serveFrom(String server, HttpExchange exchange, byte[] content, Fault fault) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher rangeMatch = range == null ? null : RANGE.matcher(range);
        long start = rangeMatch != null && rangeMatch.matches() && !ignoreRange ? Long.parseLong(rangeMatch.group(1)) : 0;
        if (start >= content.length && start > 0) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
            respond(server, exchange, 416, -1);
            return;
        }
        int status = start > 0 ? 206 : 200;
        if (status == 206) {
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        sendBody(server, exchange, status, content, (int) start, content.length, fault);
    }

    private void sendBody(String server, HttpExchange exchange, int status, byte[] content, int from, int to,
                          Fault fault) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        int length = to - from;
        if (head) {
            // The JDK server derives no Content-Length for HEAD: set it by hand, as a real server does.
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(length));
            respond(server, exchange, status, -1);
            return;
        }
        respond(server, exchange, status, length == 0 ? -1 : length); // the JDK server reads 0 as "chunked"
        OutputStream body = exchange.getResponseBody();
        if (fault == null) {
            body.write(content, from, length);
            return;
        }
        body.write(content, from, length / 2);
        body.flush();
        if (fault == Fault.STALL_AFTER_HALF) {
            try {
                stallRelease.await(STALL_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Closing the exchange with bytes missing makes the JDK server drop the connection.
        throw new IOException("fake hub: dropping the connection after " + length / 2 + " of " + length + " bytes");
    }

    private void respond(String server, HttpExchange exchange, int status, long length) throws IOException {
        Headers request = exchange.getRequestHeaders();
        requests.add(new Request(server, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                request.getFirst("Range"), request.getFirst("Authorization"), request.getFirst("Accept-Encoding"),
                status));
        exchange.sendResponseHeaders(status, length);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(bytes);
        }
        return compressed.toByteArray();
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
