package org.clipwb.core.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A description server on an ephemeral port of 127.0.0.1: queued replies (faults) are served first, then the
 * normal answer of the test's responder. Every request is recorded with its parsed JSON body.
 */
final class LoopbackServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server received it. */
    record Request(String path, String authorization, JsonNode body) {
    }

    /** One answer: status, body, and how long to wait before sending it. */
    record Reply(int status, String body, Duration delay) {
        static Reply ok(String body) {
            return new Reply(200, body, Duration.ZERO);
        }

        static Reply status(int status, String body) {
            return new Reply(status, body, Duration.ZERO);
        }

        Reply after(Duration wait) {
            return new Reply(status, body, wait);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-description-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Queue<Reply> queued = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Function<Request, Reply> responder;

    private LoopbackServer(Function<Request, Reply> responder) throws IOException {
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static LoopbackServer start(Function<Request, Reply> responder) throws IOException {
        return new LoopbackServer(responder);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Replies served, in order, before the responder answers again. */
    void queue(Reply... replies) {
        queued.addAll(List.of(replies));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request request = new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(body));
            requests.add(request);
            Reply queuedReply = queued.poll();
            Reply reply = queuedReply != null ? queuedReply : responder.apply(request);
            Thread.sleep(reply.delay().toMillis());
            byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (a time-out test): nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
