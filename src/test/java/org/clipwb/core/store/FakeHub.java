package org.clipwb.core.store;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A loopback imitation of the Hugging Face hub and its CDN, on two ephemeral ports of 127.0.0.1 (two origins, as on
 * the real hub). {@code /{owner}/{name}/resolve/{rev}/{file}} answers .safetensors files (LFS) with a 302 to the CDN
 * carrying {@code X-Linked-Size} and {@code X-Linked-Etag}, and small files with 200 + a git-style ETag. The CDN
 * honours {@code Range: bytes=N-}. Faults can be queued for the next CDN GETs. Public for the desktop app's
 * download tests.
 */
public final class FakeHub implements AutoCloseable {
    /** One request as the server saw it, with the status it answered. */
    record Request(String server, String method, String path, String range, String authorization, int status) {
    }

    /** What the next CDN GET does wrong. */
    public enum Fault {
        /** Sends half of the requested bytes, then closes the connection. */
        DROP_AFTER_HALF,
        /** Sends half of the requested bytes, then goes silent until {@link #releaseStalls()} or closing. */
        STALL_AFTER_HALF
    }

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([^/]+/[^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final long STALL_LIMIT_SECONDS = 10;

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
    /** repo id → file name → the bytes announced (size, SHA-256) and served by /resolve. */
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    /** repo id + "/" + file → different bytes that the CDN serves instead (a corrupted or truncated copy). */
    private final Map<String, byte[]> cdnOverrides = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch stallRelease = new CountDownLatch(1);
    private volatile boolean ignoreRange;
    private volatile int serviceUnavailableCount;

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

    /** Publishes every file of {@code folder} as repo {@code repoId}. */
    public FakeHub addRepo(String repoId, Path folder) throws IOException {
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        repos.put(repoId, files);
        return this;
    }

    /** Removes one file from a published repo. */
    void removeFile(String repoId, String file) {
        repos.get(repoId).remove(file);
    }

    /** Makes the CDN serve {@code bytes} for a file while /resolve still announces the original's size and hash. */
    void serveFromCdn(String repoId, String file, byte[] bytes) {
        cdnOverrides.put(repoId + "/" + file, bytes);
    }

    /** Queues a fault for the next CDN GET that has not consumed one yet. */
    public synchronized void failNextCdnGet(Fault fault) {
        faults.addLast(fault);
    }

    /** Makes the CDN answer every range request with the whole file (status 200). */
    void ignoreRange() {
        ignoreRange = true;
    }

    /** Makes the next {@code count} requests to the hub answer 503. */
    void serviceUnavailable(int count) {
        serviceUnavailableCount = count;
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

    private void handle(String server, HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Matcher resolve = RESOLVE.matcher(path);
            Matcher cdnPath = CDN.matcher(path);
            if (server.equals("hub") && resolve.matches()) {
                resolve(exchange, resolve.group(1), resolve.group(3));
            } else if (server.equals("cdn") && cdnPath.matches()) {
                serveCdn(exchange, cdnPath.group(1), cdnPath.group(2));
            } else {
                respond(server, exchange, 404, -1);
            }
        }
    }

    private void resolve(HttpExchange exchange, String repoId, String file) throws IOException {
        Map<String, byte[]> files = repos.get(repoId);
        Headers headers = exchange.getResponseHeaders();
        synchronized (this) {
            if (serviceUnavailableCount > 0) {
                serviceUnavailableCount--;
                respond("hub", exchange, 503, -1);
                return;
            }
        }
        if (files == null || !files.containsKey(file)) {
            headers.set("X-Error-Code", files == null ? "RepoNotFound" : "EntryNotFound");
            respond("hub", exchange, 404, -1);
            return;
        }
        byte[] content = files.get(file);
        if (file.endsWith(".safetensors")) {
            String sha256 = sha256Hex(content);
            headers.set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + repoId + "/" + file);
            headers.set("X-Linked-Size", Long.toString(content.length));
            headers.set("X-Linked-Etag", "\"" + sha256 + "\"");
            headers.set("ETag", "\"" + sha256 + "\"");
            respond("hub", exchange, 302, -1);
            return;
        }
        byte[] gitHeader = ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] blob = new byte[gitHeader.length + content.length];
        System.arraycopy(gitHeader, 0, blob, 0, gitHeader.length);
        System.arraycopy(content, 0, blob, gitHeader.length, content.length);
        headers.set("ETag", "\"" + HexFormat.of().formatHex(digest("SHA-1", blob)) + "\"");
        sendBody("hub", exchange, 200, content, 0, content.length, null);
    }

    private void serveCdn(HttpExchange exchange, String repoId, String file) throws IOException {
        byte[] content = cdnOverrides.getOrDefault(repoId + "/" + file, repos.getOrDefault(repoId, Map.of()).get(file));
        if (content == null) {
            respond("cdn", exchange, 404, -1);
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher rangeMatch = range == null ? null : RANGE.matcher(range);
        long start = rangeMatch != null && rangeMatch.matches() && !ignoreRange ? Long.parseLong(rangeMatch.group(1)) : 0;
        if (start >= content.length && start > 0) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
            respond("cdn", exchange, 416, -1);
            return;
        }
        int status = start > 0 ? 206 : 200;
        if (status == 206) {
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        Fault fault;
        synchronized (this) {
            fault = exchange.getRequestMethod().equals("GET") ? faults.pollFirst() : null;
        }
        sendBody("cdn", exchange, status, content, (int) start, content.length, fault);
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
                request.getFirst("Range"), request.getFirst("Authorization"), status));
        exchange.sendResponseHeaders(status, length);
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
