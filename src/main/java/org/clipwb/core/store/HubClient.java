package org.clipwb.core.store;

import java.io.IOException;
import java.net.ProxySelector;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.clipwb.core.util.Digests;

/**
 * Downloads single files from a Hugging Face hub into a local folder, following the protocol of huggingface_hub's
 * {@code file_download.py}:
 * <ul>
 * <li>{@link #metadata} asks with a HEAD request ({@code {endpoint}/{repo}/resolve/{revision}/{file}}, relative
 * redirects followed, others not) for the commit ({@code X-Repo-Commit}), the ETag ({@code X-Linked-Etag} on the
 * redirect to the CDN for an LFS file, else {@code ETag}) and the size ({@code X-Linked-Size}, else
 * {@code Content-Length}); an answer without them is not the hub's (a captive portal or a proxy) and is refused;</li>
 * <li>{@link #download} fetches the file at that commit into {@code <file>.<commit>.part}, hashed as it is written,
 * resuming a part of the same commit with {@code Range: bytes=N-} and discarding parts of other commits;</li>
 * <li>a dropped or stalled connection, a 5xx, 408 or 429 is retried with backoff, or after the wait that the hub asks
 * for ({@code RateLimit}, {@code Retry-After}), resuming from the bytes already written;</li>
 * <li>thread interruption cancels the download and keeps the part for a later resume;</li>
 * <li>after the last byte the size and the ETag are checked (SHA-256 for LFS files, the git blob SHA-1 for the
 * others) and the part is renamed to its final name; a mismatch deletes the part;</li>
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
    private static final String USER_AGENT = "clip-workbench";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-\\d+/(\\d{1,18}|\\*)");
    private static final Pattern SIZE = Pattern.compile("\\d{1,18}");

    /** Keeps the body only of responses that carry file bytes; redirects and errors are read and dropped. */
    private static final BodyHandler<Flow.Publisher<List<ByteBuffer>>> FILE_BODY = info ->
            info.statusCode() == 200 || info.statusCode() == 206
                    ? BodySubscribers.ofPublisher()
                    : BodySubscribers.replacing(null);

    /** Waits between attempts; replaced in tests so that a wait the hub asks for takes no time. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final URI endpoint;
    private final String token;
    private final Duration stallTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxServerWait;
    private final Sleeper sleeper;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Duration connectTimeout;
    private final ProxySelector proxySelector;
    /** Built on the first request: most runs load a cached or local model and never touch the network. */
    private HttpClient http;

    private HubClient(Builder builder) {
        this.endpoint = withoutTrailingSlash(builder.endpoint);
        this.token = builder.token;
        this.stallTimeout = builder.stallTimeout;
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxServerWait = builder.maxServerWait;
        this.sleeper = builder.sleeper;
        this.clock = builder.clock;
        this.nanoClock = System::nanoTime;
        this.connectTimeout = builder.connectTimeout;
        this.proxySelector = builder.proxySelector;
    }

    /**
     * The HTTP client, built once on first use. Building one starts its selector thread and loads the whole HTTP
     * stack (about 0.3 s on this project's 2-core machine, and as much again at exit), which a local model never needs.
     */
    private synchronized HttpClient http() {
        if (http == null) {
            // Redirects are followed by hand so that the token never travels to another host (the CDN), and HTTP/1.1
            // keeps the tested transport identical to the one used against the real hub.
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(connectTimeout);
            if (proxySelector != null) {
                builder.proxy(proxySelector);
            }
            http = builder.build();
        }
        return http;
    }

    /**
     * A builder with the defaults: public hub, no token, no proxy beyond the JVM's own settings, 20 s connect and 60 s
     * stall timeouts, 4 retries from 1 s, waits of up to 5 minutes when the hub asks for one.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from environment variables, read as huggingface_hub reads them: {@code HF_ENDPOINT} (another
     * hub or a mirror); the access token, sent as a bearer token to the endpoint only, for gated or private repos:
     * {@code HF_TOKEN}, else {@code HUGGING_FACE_HUB_TOKEN}, else the file {@code HF_TOKEN_PATH}, else
     * {@code $HF_HOME/token} ({@code HF_HOME} defaults to {@code ~/.cache/huggingface}, where {@code hf auth login}
     * writes it); and the proxies in {@code https_proxy}, {@code http_proxy}, {@code all_proxy} and
     * {@code no_proxy} (lower or upper case).
     *
     * @throws IllegalArgumentException a variable holds something unusable (the message names it)
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
        HubEnvironment.token(env).ifPresent(builder::token);
        EnvironmentProxySelector.fromEnvironment(env).ifPresent(builder::proxy);
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

    /**
     * What the hub says about one file at {@code revision} (a branch such as {@code main}, or a commit id): the
     * commit that the revision points to, the file's ETag and its size. Writes nothing.
     *
     * @param listener receives a note before each retry
     * @throws HubHttpException    the hub refused (repo, revision or file missing, gated, unauthorised)
     * @throws ModelStoreException the answer lacked the hub's headers (a captive portal or a proxy), was compressed,
     *                             or the retries ran out
     */
    public HubFile metadata(RepoId repo, String revision, String file, DownloadListener listener)
            throws IOException, InterruptedException {
        Objects.requireNonNull(listener, "listener");
        RemoteRef ref = new RemoteRef(repo, revision, file, fileUrl(repo, revision, file));
        Retries retries = new Retries(ref, listener);
        while (true) {
            try {
                return head(ref);
            } catch (IOException e) {
                retries.failed(e, false, 0);
            }
        }
    }

    /**
     * Downloads the file that {@code remote} describes, at its commit, to {@code target}; does nothing when
     * {@code target} already exists (files reach their final name only once verified).
     *
     * @throws HubHttpException            the hub refused the file (gated, unauthorised, gone)
     * @throws DownloadIntegrityException  the bytes did not match the announced size or ETag (the part is deleted)
     * @throws ModelStoreException         another process holds the file's lock, the answer was compressed, or the
     *                                     retries ran out
     * @throws InterruptedException        the thread was interrupted; the part is kept for a later resume
     */
    public void download(HubFile remote, Path target, DownloadListener listener)
            throws IOException, InterruptedException {
        Objects.requireNonNull(listener, "listener");
        if (Files.exists(target)) {
            return;
        }
        RemoteRef ref = new RemoteRef(remote.repo(), remote.commit(), remote.file(),
                fileUrl(remote.repo(), remote.commit(), remote.file()));
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String name = target.getFileName().toString();
        Path part = folder.resolve(name + "." + remote.commit() + ".part");
        Path lockFile = folder.resolve(name + ".lock");
        ProgressMeter meter = new ProgressMeter(remote.file(), listener, nanoClock);
        // The lock is released when its channel closes. The lock file stays behind: deleting it would let a second
        // process lock a fresh inode while a first one still holds the old one.
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lockOrFail(lockChannel, lockFile, ref);
            if (Files.exists(target)) {
                return;
            }
            discardPartsOfOtherCommits(folder, name, part, remote, listener);
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                new Transfer(ref, remote, channel, meter, new Retries(ref, listener)).run();
            } catch (DownloadIntegrityException e) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException deletion) {
                    e.addSuppressed(deletion);
                }
                throw e;
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            meter.finish(remote.size());
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

    /**
     * Deletes the parts of {@code name} that belong to another commit (or, named {@code <file>.part}, to an unknown
     * one): their bytes may differ from this commit's, so resuming them would only fail the final check.
     */
    private static void discardPartsOfOtherCommits(Path folder, String name, Path part, HubFile remote,
                                                   DownloadListener listener) throws IOException {
        Pattern parts = Pattern.compile(Pattern.quote(name) + "\\.(?:[0-9a-f]{40}\\.)?part");
        List<Path> stale;
        try (Stream<Path> entries = Files.list(folder)) {
            stale = entries.filter(entry -> parts.matcher(entry.getFileName().toString()).matches())
                    .filter(entry -> !entry.equals(part)).toList();
        }
        for (Path entry : stale) {
            Files.delete(entry);
            listener.onNote("discarded the partial download of " + remote.file() + " from another commit of "
                    + remote.repo() + "; downloading it afresh at commit " + shortCommit(remote.commit()));
        }
    }

    /** One file of one revision of a repo, and its address. */
    private record RemoteRef(RepoId repo, String revision, String file, URI url) {
        String label() {
            return repo + "/" + file;
        }
    }

    /** A 408, 429 or 5xx answer: worth another attempt, after the wait the server asked for, if any. */
    private static final class RetryableStatus extends IOException {
        private static final long serialVersionUID = 1L;

        /** The wait the server asked for, or null when it named none. */
        private final Duration serverWait;

        RetryableStatus(String message, Optional<Duration> serverWait) {
            super(message);
            this.serverWait = serverWait.orElse(null);
        }
    }

    /** Counts the failed attempts of one request or download and waits between them, longer each time. */
    private final class Retries {
        private final RemoteRef ref;
        private final DownloadListener listener;
        private int failuresInARow;

        Retries(RemoteRef ref, DownloadListener listener) {
            this.ref = ref;
            this.listener = listener;
        }

        /**
         * Returns after the wait when {@code failure} is worth another attempt; otherwise throws it, as a
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
            Duration wait = waitAfter(failure);
            listener.onNote(describe(failure) + "; waiting " + seconds(wait) + " before retry " + failuresInARow
                    + " of " + maxRetries);
            sleeper.sleep(wait);
        }

        private Duration waitAfter(IOException failure) throws ModelStoreException {
            Optional<Duration> asked = failure instanceof RetryableStatus status
                    ? Optional.ofNullable(status.serverWait) : Optional.empty();
            if (asked.isEmpty()) {
                return initialBackoff.multipliedBy(1L << Math.min(failuresInARow - 1, MAX_BACKOFF_DOUBLINGS));
            }
            if (asked.get().compareTo(maxServerWait) > 0) {
                throw new ModelStoreException(describe(failure) + ": the hub asks to wait " + seconds(asked.get())
                        + " before the next request, longer than the workbench waits (" + seconds(maxServerWait)
                        + "); try again later" + (token == null
                        ? ", or set HF_TOKEN to a token of a Hugging Face account, which gets a higher rate limit" : ""));
            }
            // One second more, as huggingface_hub does: the hub rounds the time to its reset down to whole seconds.
            return asked.get().plusSeconds(1);
        }
    }

    /** The download of one file into its part: resume, retries, verification. One instance per download. */
    private final class Transfer {
        private final RemoteRef ref;
        private final HubFile remote;
        private final FileChannel channel;
        private final ProgressMeter meter;
        private final Retries retries;
        /** Fed the part's first {@link #partLength} bytes. */
        private MessageDigest digest;
        /** Bytes of the part that were both written and hashed. */
        private long partLength;

        Transfer(RemoteRef ref, HubFile remote, FileChannel channel, ProgressMeter meter, Retries retries) {
            this.ref = ref;
            this.remote = remote;
            this.channel = channel;
            this.meter = meter;
            this.retries = retries;
            this.digest = remote.newDigest();
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

        /** Keeps a part left by an earlier run of the same commit, hashing its bytes first. */
        private void adoptExistingPart() throws IOException {
            partLength = channel.size();
            if (partLength > remote.size()) {
                restartFromZero();
            } else {
                HubFile.hash(channel, partLength, digest);
            }
        }

        private void restartFromZero() throws IOException {
            channel.truncate(0);
            partLength = 0;
            digest = remote.newDigest();
        }

        private void fetchMissingBytes() throws IOException, InterruptedException {
            // Bytes past partLength may have been written but not hashed when a write failed midway.
            channel.truncate(partLength);
            channel.position(partLength);
            if (partLength >= remote.size()) {
                return;
            }
            long offset = partLength;
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = get(ref, offset);
            int status = response.statusCode();
            if (status == 416) {
                return; // the server has no bytes past the part: verify what is there
            }
            if (status != 200 && status != 206) {
                throw httpFailure(status, response.headers(), ref, response.uri());
            }
            try {
                requireIdentityEncoding(response.headers(), ref, response.uri());
            } catch (ModelStoreException e) {
                discard(response);
                throw e;
            }
            if (status == 206) {
                Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                if (!range.matches() || Long.parseLong(range.group(1)) != offset) {
                    discard(response);
                    restartFromZero();
                    throw new IOException("the server answered the range request from byte " + offset + " with "
                            + response.headers().firstValue("Content-Range").orElse("no Content-Range"));
                }
            } else if (offset > 0) {
                restartFromZero(); // the server ignored the range and sends the whole file
            }
            stream(response.body());
            if (partLength < remote.size()) {
                throw new IOException("the transfer ended at byte " + partLength + " of " + remote.size());
            }
        }

        private void stream(Flow.Publisher<List<ByteBuffer>> body) throws IOException, InterruptedException {
            meter.start(partLength, remote.size());
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
                        digest.update(written);
                        partLength += length;
                        meter.advance(length);
                    }
                    if (Thread.interrupted()) {
                        throw cancelled(ref, null);
                    }
                    if (partLength > remote.size()) {
                        break; // more bytes than announced: verify() reports it, no need to store the rest
                    }
                }
            } finally {
                chunks.cancel();
            }
        }

        private void verify() throws DownloadIntegrityException {
            String afresh = " (from " + ref.url() + "); the partial file was deleted, run again to download it afresh";
            if (partLength != remote.size()) {
                throw new DownloadIntegrityException("downloaded " + ref.label() + " has the wrong size: expected "
                        + remote.size() + " bytes, got " + partLength + afresh);
            }
            String actual = Digests.hex(digest);
            if (!actual.equals(remote.etag())) {
                throw new DownloadIntegrityException("downloaded " + ref.label() + " is corrupt: expected "
                        + remote.checksumName() + " " + remote.etag() + ", got " + actual + afresh);
            }
        }
    }

    /** The metadata of one file, from a HEAD request that follows only relative redirects (a renamed repo). */
    private HubFile head(RemoteRef ref) throws IOException, InterruptedException {
        URI current = ref.url();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = http().send(request(current, "HEAD").build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean redirect = isRedirect(status);
            if (redirect && isRelative(response.headers().firstValue("Location").orElse(""))) {
                current = redirectTarget(current, response);
            } else if (status == 200 || redirect) {
                // An LFS file's answer is the redirect to the CDN: it carries the file's metadata, the CDN does not.
                return hubFile(ref, current, response.headers(), redirect);
            } else {
                throw httpFailure(status, response.headers(), ref, current);
            }
        }
        throw new ModelStoreException("too many redirects (over " + MAX_REDIRECTS + ") for " + ref.url());
    }

    /** The metadata in the headers of a hub's answer; refuses an answer that lacks them. */
    private HubFile hubFile(RemoteRef ref, URI url, HttpHeaders headers, boolean redirect) throws ModelStoreException {
        Optional<String> commit = headers.firstValue("X-Repo-Commit");
        // X-Linked-Etag first: on the redirect of an LFS file the plain ETag is not the file's.
        Optional<String> etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(HubClient::normalizeEtag);
        Optional<String> size = headers.firstValue("X-Linked-Size")
                .or(() -> redirect ? Optional.empty() : headers.firstValue("Content-Length"));
        List<String> missing = new ArrayList<>();
        if (commit.isEmpty()) {
            missing.add("X-Repo-Commit");
        }
        if (etag.isEmpty()) {
            missing.add("ETag");
        }
        if (size.isEmpty()) {
            missing.add(redirect ? "X-Linked-Size" : "Content-Length");
        }
        if (!missing.isEmpty()) {
            throw new ModelStoreException(url + " answered without the hub's headers (no " + String.join(", ", missing)
                    + ") — a proxy or captive portal? Open " + endpoint + " in a browser and log in to the network "
                    + "if it asks; check HTTPS_PROXY and HF_ENDPOINT if set");
        }
        if (!redirect) {
            requireIdentityEncoding(headers, ref, url); // else Content-Length would count compressed bytes
        }
        if (!HubFile.isCommit(commit.get())) {
            throw new ModelStoreException(url + " answered with X-Repo-Commit '" + commit.get() + "', which is not a "
                    + "commit id — is HF_ENDPOINT a Hugging Face hub?");
        }
        if (!HubFile.isChecksum(etag.get())) {
            throw new ModelStoreException(url + " answered with ETag '" + etag.get() + "', which is neither a SHA-256 "
                    + "nor a git blob SHA-1, so " + ref.label() + " could not be verified — is HF_ENDPOINT a Hugging "
                    + "Face hub?");
        }
        if (!SIZE.matcher(size.get()).matches()) {
            throw new ModelStoreException(url + " announced an invalid size '" + size.get() + "' for " + ref.label());
        }
        return new HubFile(ref.repo(), ref.file(), commit.get(), etag.get(), Long.parseLong(size.get()));
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
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = http().send(request.build(), FILE_BODY);
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
                // Sizes and checksums describe the bytes as stored, not compressed.
                .header("Accept-Encoding", "identity");
        if (token != null && sameOrigin(uri, endpoint)) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** A {@link RetryableStatus} for 408, 429 and 5xx; a {@link HubHttpException} (final) for the rest. */
    private IOException httpFailure(int status, HttpHeaders headers, RemoteRef ref, URI url) {
        String hubMessage = headers.firstValue("X-Error-Message").map(message -> " (the hub says: " + message + ")")
                .orElse("");
        if (status == 408 || status == 429 || status >= 500) {
            String what = status == 429 ? "rate-limited by the hub" : "the server answered";
            return new RetryableStatus(what + " (HTTP " + status + " for " + ref.file() + ")" + hubMessage,
                    ServerWait.of(status, headers, clock));
        }
        String errorCode = headers.firstValue("X-Error-Code").orElse("");
        String access = token == null
                ? "a private or gated repo needs a token of an account with access: set HF_TOKEN, or log in with "
                + "'hf auth login'"
                : "the token (from HF_TOKEN, HUGGING_FACE_HUB_TOKEN or the token file of 'hf auth login') was rejected "
                + "or its account has no access to this repo";
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

    /** Refuses a compressed answer: its lengths would not be the file's, and nothing here decompresses. */
    private static void requireIdentityEncoding(HttpHeaders headers, RemoteRef ref, URI url)
            throws ModelStoreException {
        String encoding = headers.firstValue("Content-Encoding").map(String::strip).orElse("identity");
        if (!encoding.equalsIgnoreCase("identity")) {
            throw new ModelStoreException(url.getHost() + " sent " + ref.label() + " compressed (Content-Encoding: "
                    + encoding + ") although the workbench asks for the bytes as stored (Accept-Encoding: identity), "
                    + "so their size and checksum cannot be checked. A proxy on the way may be rewriting answers: "
                    + "try without it (NO_PROXY) or from another network [" + url + "]");
        }
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

    /** Whether a redirect's Location stays on the same host (a renamed repo, not the CDN). */
    private static boolean isRelative(String location) {
        try {
            return !location.isEmpty() && URI.create(location).getHost() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
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

    /** The port of an http(s) address, the scheme's default when it names none. */
    static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** An ETag value ({@code "hex"} or {@code W/"hex"}) as huggingface_hub normalises it, lower-cased. */
    private static String normalizeEtag(String etag) {
        return etag.strip().replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT);
    }

    /** The first 7 digits of a commit id, as git and the hub show it. */
    static String shortCommit(String commit) {
        return commit.substring(0, 7);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
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
        private ProxySelector proxySelector;
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration stallTimeout = Duration.ofSeconds(60);
        private int maxRetries = 4;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxServerWait = Duration.ofMinutes(5);
        private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
        private Clock clock = Clock.systemUTC();

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

        /** Chooses the proxy for each address (instead of the JVM's default selector). */
        public Builder proxy(ProxySelector proxySelector) {
            this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector");
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

        /**
         * The longest wait to accept when the hub names one ({@code RateLimit}, {@code Retry-After}); a longer one
         * fails the download at once with a message saying when to try again.
         */
        public Builder maxServerWait(Duration maxServerWait) {
            this.maxServerWait = requirePositive(maxServerWait, "longest server wait");
            return this;
        }

        /** How to wait between attempts (tests record the waits instead of sleeping). */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The clock that {@code Retry-After} dates are compared with. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
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
