package org.clipwb.core.store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import org.clipwb.core.util.Digests;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads single files from a Hugging Face hub ({@code {endpoint}/{repo}/resolve/{revision}/{file}}) into a local
 * folder, resumably and verified:
 * <ul>
 * <li>a HEAD request, redirects not followed, reads the expected size and, for LFS files, the SHA-256
 * ({@code X-Linked-Size}, {@code X-Linked-Etag} on the redirect); for small git files only the size is known;</li>
 * <li>the body streams into {@code <file>.part}, hashed as it is written; an existing part is resumed with
 * {@code Range: bytes=N-} when it can be verified at the end (its SHA-256 is known), else restarted;</li>
 * <li>a dropped or stalled connection is retried with backoff, resuming from the bytes already written;</li>
 * <li>thread interruption cancels the download and keeps the part for a later resume;</li>
 * <li>after the last byte the size and SHA-256 are checked and the part is renamed to its final name; a mismatch
 * deletes the part;</li>
 * <li>a lock on {@code <file>.lock} keeps two processes from writing the same file.</li>
 * </ul>
 * Instances are immutable and safe to share between threads.
 */
public final class HubClient {
    /** The public Hugging Face hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    /** The branch downloaded when no revision is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final int MAX_REDIRECTS = 10;
    /** The wait between attempts doubles at most this many times (1 s grows to 32 s at most). */
    private static final int MAX_BACKOFF_DOUBLINGS = 5;
    private static final int HASH_BUFFER_BYTES = 1 << 20;
    private static final String USER_AGENT = "clip-workbench";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-\\d+/(\\d{1,18}|\\*)");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** Keeps the body only of responses that carry file bytes; redirects and errors are read and dropped. */
    private static final BodyHandler<Flow.Publisher<List<ByteBuffer>>> FILE_BODY = info ->
            info.statusCode() == 200 || info.statusCode() == 206
                    ? BodySubscribers.ofPublisher()
                    : BodySubscribers.replacing(null);

    private final URI endpoint;
    private final String token;
    private final Duration stallTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final LongSupplier nanoClock;
    private final HttpClient http;

    private HubClient(Builder builder) {
        this.endpoint = withoutTrailingSlash(builder.endpoint);
        this.token = builder.token;
        this.stallTimeout = builder.stallTimeout;
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.nanoClock = System::nanoTime;
        // Redirects are followed by hand so that the token never travels to another host (the CDN), and HTTP/1.1
        // keeps the tested transport identical to the one used against the real hub.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(builder.connectTimeout)
                .build();
    }

    /** A builder with the defaults: public hub, no token, 20 s connect and 60 s stall timeouts, 4 retries from 1 s. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from environment variables: {@code HF_ENDPOINT} (another hub or a mirror) and
     * {@code HF_TOKEN} (sent as a bearer token to the endpoint only, for gated or private repos).
     */
    public static HubClient fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        String endpoint = env.get("HF_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                builder.endpoint(URI.create(endpoint.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HF_ENDPOINT: " + e.getMessage(), e);
            }
        }
        String token = env.get("HF_TOKEN");
        if (token != null && !token.isBlank()) {
            builder.token(token.strip());
        }
        return builder.build();
    }

    /** The hub's base address, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** The address of one file: {@code {endpoint}/{repo}/resolve/{revision}/{file}}, percent-encoded. */
    public URI fileUrl(RepoId repo, String revision, String file) {
        return URI.create(endpoint + "/" + repo + "/resolve/" + encodeSegment(revision) + "/" + encodePath(file));
    }

    /** Downloads {@code file} of the {@code main} revision, like the five-argument download. */
    public void download(RepoId repo, String file, Path target, DownloadListener listener)
            throws IOException, InterruptedException {
        download(repo, DEFAULT_REVISION, file, target, listener);
    }

    /**
     * Downloads one file of a repo to {@code target}; does nothing when {@code target} already exists (files reach
     * their final name only once verified).
     *
     * @throws HubHttpException            the hub refused the file (repo or file missing, gated, unauthorised)
     * @throws DownloadIntegrityException  the bytes did not match the announced size or SHA-256 (the part is deleted)
     * @throws ModelStoreException         another process holds the file's lock, or the retries ran out
     * @throws InterruptedException        the thread was interrupted; the part is kept for a later resume
     */
    public void download(RepoId repo, String revision, String file, Path target, DownloadListener listener)
            throws IOException, InterruptedException {
        Objects.requireNonNull(listener, "listener");
        if (Files.exists(target)) {
            return;
        }
        RemoteRef ref = new RemoteRef(repo, revision, file, fileUrl(repo, revision, file));
        Retries retries = new Retries(ref);
        // Asked before anything is written, so that a missing repo or file leaves no folder or part behind.
        RemoteFile remote = null;
        while (remote == null) {
            try {
                remote = head(ref);
            } catch (IOException e) {
                retries.failed(e, false, 0);
            }
        }
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path part = folder.resolve(target.getFileName() + ".part");
        Path lockFile = folder.resolve(target.getFileName() + ".lock");
        ProgressMeter meter = new ProgressMeter(file, listener, nanoClock);
        // The lock is released when its channel closes. The lock file stays behind: deleting it would let a second
        // process lock a fresh inode while a first one still holds the old one.
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lockOrFail(lockChannel, lockFile, ref);
            if (Files.exists(target)) {
                return;
            }
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                new Transfer(ref, remote, channel, meter, retries).run();
            } catch (DownloadIntegrityException e) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException deletion) {
                    e.addSuppressed(deletion);
                }
                throw e;
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            meter.finish(Files.size(target));
        } catch (ClosedByInterruptException e) {
            // An interrupt that arrived during a file operation closes the channel: still a cancellation.
            Thread.interrupted();
            throw cancelled(ref, e);
        }
    }

    private static void lockOrFail(FileChannel channel, Path lockFile, RemoteRef ref) throws IOException {
        try {
            if (channel.tryLock() != null) {
                return;
            }
        } catch (OverlappingFileLockException e) {
            // Another thread of this process holds it: the same situation as another process.
        }
        throw new ModelStoreException(ref.label() + " is being downloaded by another task or process (it holds the "
                + "lock " + lockFile + "); wait for that download to finish or cancel it, then try again");
    }

    /** One file of one revision of a repo, and its address. */
    private record RemoteRef(RepoId repo, String revision, String file, URI url) {
        String label() {
            return repo + "/" + file;
        }
    }

    /** What the HEAD request announced; -1 or null when unknown. */
    private record RemoteFile(long size, String sha256) {
    }

    /** Counts the failed attempts of one download and waits between them, longer each time. */
    private final class Retries {
        private final RemoteRef ref;
        private int failuresInARow;

        Retries(RemoteRef ref) {
            this.ref = ref;
        }

        /**
         * Returns after the backoff when {@code failure} is worth another attempt; otherwise throws it, as a
         * cancellation when the thread was interrupted, or as a final error once the attempts are used up.
         *
         * @param progressed whether the failed attempt saved new bytes: then it does not use up the budget, so a
         *                   flaky line still finishes a big file (and the loop stays bounded by the file size)
         */
        void failed(IOException failure, boolean progressed, long bytesSaved) throws IOException, InterruptedException {
            // The cancellation travels as the exception: clear the flag that the interrupt left behind.
            if (Thread.interrupted() || failure instanceof ClosedByInterruptException) {
                throw cancelled(ref, failure);
            }
            if (failure instanceof ModelStoreException) {
                throw failure;
            }
            failuresInARow = progressed ? 1 : failuresInARow + 1;
            if (failuresInARow > maxRetries) {
                String resume = bytesSaved > 0 ? "; run again to resume from the " + bytesSaved + " bytes saved" : "";
                throw new ModelStoreException("could not download " + ref.label() + " from " + ref.url() + ": "
                        + describe(failure) + " (gave up after " + failuresInARow + " failed attempts in a row"
                        + resume + "; check the network connection, or HF_ENDPOINT if set)", failure);
            }
            Thread.sleep(initialBackoff.toMillis() << Math.min(failuresInARow - 1, MAX_BACKOFF_DOUBLINGS));
        }
    }

    /** The download of one file into its part: resume, retries, verification. One instance per download. */
    private final class Transfer {
        private final RemoteRef ref;
        private final RemoteFile remote;
        private final FileChannel channel;
        private final ProgressMeter meter;
        private final Retries retries;
        private final MessageDigest digest;
        private long expectedSize;
        /** Bytes of the part that were both written and hashed. */
        private long partLength;

        Transfer(RemoteRef ref, RemoteFile remote, FileChannel channel, ProgressMeter meter, Retries retries) {
            this.ref = ref;
            this.remote = remote;
            this.channel = channel;
            this.meter = meter;
            this.retries = retries;
            this.digest = remote.sha256() == null ? null : Digests.sha256();
            this.expectedSize = remote.size();
        }

        void run() throws IOException, InterruptedException {
            adoptExistingPart();
            while (true) {
                long lengthBefore = partLength;
                try {
                    fetchMissingBytes();
                    verify();
                    channel.force(true);
                    return;
                } catch (IOException e) {
                    retries.failed(e, partLength > lengthBefore, partLength);
                }
            }
        }

        /** Keeps a part left by an earlier run when it can be verified at the end, hashing its bytes first. */
        private void adoptExistingPart() throws IOException {
            partLength = channel.size();
            if (digest == null || expectedSize >= 0 && partLength > expectedSize) {
                restartFromZero();
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER_BYTES);
            for (long position = 0; position < partLength; ) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException("could not read back the partial file of " + ref.label() + " at byte "
                            + position);
                }
                buffer.flip();
                digest.update(buffer);
                position += read;
            }
        }

        private void restartFromZero() throws IOException {
            channel.truncate(0);
            partLength = 0;
            if (digest != null) {
                digest.reset();
            }
        }

        private void fetchMissingBytes() throws IOException, InterruptedException {
            if (digest == null && partLength > 0) {
                restartFromZero(); // a retried small git file: no checksum would vouch for a resumed one
            }
            // Bytes past partLength may have been written but not hashed when a write failed midway.
            channel.truncate(partLength);
            channel.position(partLength);
            if (expectedSize >= 0 && partLength >= expectedSize) {
                return;
            }
            long offset = partLength;
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = get(ref, offset);
            int status = response.statusCode();
            if (status == 416) {
                return; // the server has no bytes past the part: verify what is there
            }
            if (status == 206) {
                Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                if (!range.matches() || Long.parseLong(range.group(1)) != offset) {
                    discard(response);
                    restartFromZero();
                    throw new IOException("the server answered the range request from byte " + offset + " with "
                            + response.headers().firstValue("Content-Range").orElse("no Content-Range"));
                }
                if (expectedSize < 0 && !range.group(2).equals("*")) {
                    expectedSize = Long.parseLong(range.group(2));
                }
            } else if (status == 200) {
                if (offset > 0) {
                    restartFromZero(); // the server ignored the range and sends the whole file
                }
                if (expectedSize < 0) {
                    expectedSize = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                }
            } else {
                throw httpFailure(status, response.headers(), ref, response.uri());
            }
            stream(response.body());
            if (expectedSize >= 0 && partLength < expectedSize) {
                throw new IOException("the transfer ended at byte " + partLength + " of " + expectedSize);
            }
        }

        private void stream(Flow.Publisher<List<ByteBuffer>> body) throws IOException, InterruptedException {
            meter.start(partLength, expectedSize);
            BodyChunks chunks = new BodyChunks();
            body.subscribe(chunks);
            try {
                for (List<ByteBuffer> chunk = chunks.next(stallTimeout); chunk != null; chunk = chunks.next(stallTimeout)) {
                    for (ByteBuffer buffer : chunk) {
                        int length = buffer.remaining();
                        ByteBuffer written = buffer.duplicate();
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                        if (digest != null) {
                            digest.update(written);
                        }
                        partLength += length;
                        meter.advance(length);
                    }
                    if (Thread.interrupted()) {
                        throw cancelled(ref, null);
                    }
                    if (expectedSize >= 0 && partLength > expectedSize) {
                        break; // more bytes than announced: verify() reports it, no need to store the rest
                    }
                }
            } finally {
                chunks.cancel();
            }
        }

        private void verify() throws DownloadIntegrityException {
            if (expectedSize >= 0 && partLength != expectedSize) {
                throw new DownloadIntegrityException("downloaded " + ref.label() + " has the wrong size: expected "
                        + expectedSize + " bytes, got " + partLength + " (from " + ref.url() + "); the partial file was "
                        + "deleted, run again to download it afresh");
            }
            if (digest != null) {
                String actual = Digests.hex(digest);
                if (!actual.equalsIgnoreCase(remote.sha256())) {
                    throw new DownloadIntegrityException("downloaded " + ref.label() + " is corrupt: expected SHA-256 "
                            + remote.sha256().toLowerCase(Locale.ROOT) + ", got " + actual + " (from " + ref.url()
                            + "); the partial file was deleted, run again to download it afresh");
                }
            }
        }
    }

    private RemoteFile head(RemoteRef ref) throws IOException, InterruptedException {
        URI current = ref.url();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = http.send(request(current, "HEAD").build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpHeaders headers = response.headers();
            int status = response.statusCode();
            // The hub answers an LFS file with a redirect to its CDN that carries the file's size and SHA-256.
            Optional<String> linkedSize = headers.firstValue("X-Linked-Size");
            if (linkedSize.isPresent()) {
                if (!linkedSize.get().matches("\\d{1,18}")) {
                    throw new IOException("invalid X-Linked-Size '" + linkedSize.get() + "' from " + current);
                }
                return new RemoteFile(Long.parseLong(linkedSize.get()), sha256OrNull(headers.firstValue("X-Linked-Etag")));
            }
            if (isRedirect(status)) {
                current = redirectTarget(current, response);
            } else if (status == 200) {
                // A small git file: its ETag is a git hash, not a SHA-256 of the content, so only the size counts.
                return new RemoteFile(headers.firstValueAsLong("Content-Length").orElse(-1), null);
            } else {
                throw httpFailure(status, headers, ref, current);
            }
        }
        throw new ModelStoreException("too many redirects (over " + MAX_REDIRECTS + ") for " + ref.url());
    }

    /** A GET from {@code offset}, following redirects, that returns the first non-redirect response. */
    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> get(RemoteRef ref, long offset)
            throws IOException, InterruptedException {
        URI current = ref.url();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = request(current, "GET");
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = http.send(request.build(), FILE_BODY);
            if (!isRedirect(response.statusCode())) {
                return response;
            }
            current = redirectTarget(current, response);
        }
        throw new ModelStoreException("too many redirects (over " + MAX_REDIRECTS + ") for " + ref.url());
    }

    private HttpRequest.Builder request(URI uri, String method) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(stallTimeout)
                .header("User-Agent", USER_AGENT)
                // Sizes are compared with Content-Length, which must describe the bytes as stored, not compressed.
                .header("Accept-Encoding", "identity");
        if (token != null && sameOrigin(uri, endpoint)) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** A plain IOException (retried) for 429 and 5xx; a {@link HubHttpException} (final) for the rest. */
    private IOException httpFailure(int status, HttpHeaders headers, RemoteRef ref, URI url) {
        String hubMessage = headers.firstValue("X-Error-Message").map(message -> " (the hub says: " + message + ")")
                .orElse("");
        if (status == 429 || status >= 500) {
            return new IOException("the server answered HTTP " + status + hubMessage);
        }
        String errorCode = headers.firstValue("X-Error-Code").orElse("");
        String access = token == null
                ? "a private or gated repo needs HF_TOKEN set to a token of an account with access"
                : "the token in HF_TOKEN was rejected or its account has no access to this repo";
        String message = switch (errorCode) {
            case "EntryNotFound" -> "file " + ref.file() + " not found in repo " + ref.repo() + " at revision "
                    + ref.revision();
            case "RevisionNotFound" -> "revision " + ref.revision() + " not found in repo " + ref.repo();
            case "GatedRepo" -> "repo " + ref.repo() + " is gated: accept its terms at " + endpoint + "/" + ref.repo()
                    + " while logged in, and set HF_TOKEN to a token of that account";
            default -> status == 401 || status == 403 || status == 404
                    ? "repo not found or gated: " + ref.repo() + " (HTTP " + status + " for " + ref.file() + "). "
                    + "Check the repo id and revision; " + access
                    : "unexpected HTTP " + status + " for " + ref.label();
        };
        return new HubHttpException(status, message + hubMessage + " [" + url + "]");
    }

    private static InterruptedException cancelled(RemoteRef ref, Exception cause) {
        InterruptedException cancelled = new InterruptedException("download of " + ref.label()
                + " cancelled; the partial file is kept and the next attempt resumes it");
        cancelled.initCause(cause);
        return cancelled;
    }

    private static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        BodyChunks chunks = new BodyChunks();
        response.body().subscribe(chunks);
        chunks.cancel();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI redirectTarget(URI current, HttpResponse<?> response) throws IOException {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new IOException(
                "HTTP " + response.statusCode() + " redirect without a Location header from " + current));
        URI target;
        try {
            target = current.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid redirect Location '" + location + "' from " + current, e);
        }
        if (target.getScheme() == null || !target.getScheme().matches("(?i)https?") || target.getHost() == null) {
            throw new IOException("redirect to a non-http(s) address '" + location + "' from " + current);
        }
        return target;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The SHA-256 in an ETag value ({@code "hex"} or {@code W/"hex"}), or null when it holds something else. */
    private static String sha256OrNull(Optional<String> etag) {
        return etag.map(value -> value.replaceFirst("^W/", "").replace("\"", "").strip())
                .filter(value -> SHA256_HEX.matcher(value).matches())
                .orElse(null);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    private static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid file path in repo: '" + path + "'");
            }
            encoded.append(encoded.length() > 0 ? "/" : "").append(encodeSegment(segment));
        }
        return encoded.toString();
    }

    /**
     * Percent-encodes one URL path segment (a revision such as {@code refs/pr/1} becomes one segment). Written by
     * hand because the JDK's URLEncoder encodes for HTML forms ('+' for a space), not for paths.
     */
    private static String encodeSegment(String segment) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    /** Settings of a {@link HubClient}; every one has a default. */
    public static final class Builder {
        private URI endpoint = DEFAULT_ENDPOINT;
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration stallTimeout = Duration.ofSeconds(60);
        private int maxRetries = 4;
        private Duration initialBackoff = Duration.ofSeconds(1);

        private Builder() {
        }

        /** The hub's base address, for example {@code https://huggingface.co} or a mirror. */
        public Builder endpoint(URI endpoint) {
            if (endpoint.getScheme() == null || endpoint.getHost() == null
                    || !endpoint.getScheme().matches("(?i)https?")) {
                throw new IllegalArgumentException("hub endpoint must be an http(s) address such as "
                        + DEFAULT_ENDPOINT + ", got '" + endpoint + "'");
            }
            this.endpoint = endpoint;
            return this;
        }

        /** A Hugging Face access token, sent as {@code Authorization: Bearer} to the endpoint's host only. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** How long to wait for a connection. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive(timeout, "connect timeout");
            return this;
        }

        /** How long a response may keep silent (no headers, or no body bytes) before the attempt fails. */
        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = requirePositive(timeout, "stall timeout");
            return this;
        }

        /** How many failed attempts in a row to retry, waiting {@code initialBackoff}, then twice as long, and so on. */
        public Builder retries(int maxRetries, Duration initialBackoff) {
            if (maxRetries < 0 || initialBackoff.isNegative()) {
                throw new IllegalArgumentException("retries must be >= 0 and the backoff not negative");
            }
            this.maxRetries = maxRetries;
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** The configured client. */
        public HubClient build() {
            return new HubClient(this);
        }

        private static Duration requirePositive(Duration duration, String what) {
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
