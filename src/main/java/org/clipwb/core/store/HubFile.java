package org.clipwb.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.clipwb.core.util.Digests;

/**
 * One file of a hub repo at one commit, as the hub's metadata ({@link HubClient#metadata}) describes it. The ETag
 * vouches for the bytes: for a file stored with Git LFS it is the SHA-256 of the content, for any other file the git
 * blob SHA-1, {@code sha1("blob " + size + "\0" + content)}.
 *
 * @param repo   the repo
 * @param file   the file's path inside the repo
 * @param commit the 40-hex-digit commit that the metadata belongs to ({@code X-Repo-Commit})
 * @param etag   the file's ETag, lower-case hex without quotes: 64 digits (SHA-256) or 40 (git blob SHA-1)
 * @param size   the file's size in bytes
 */
public record HubFile(RepoId repo, String file, String commit, String etag, long size) {
    /** A commit id, and also the length of a git blob SHA-1. */
    private static final Pattern HEX_40 = Pattern.compile("[0-9a-f]{40}");
    /** A SHA-256. */
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final int READ_BUFFER_BYTES = 1 << 20;

    /** Checks that the values have the shapes the hub gives them. */
    public HubFile {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(file, "file");
        if (!isCommit(commit)) {
            throw new IllegalArgumentException("not a 40-hex-digit commit id: " + commit);
        }
        if (!isChecksum(etag)) {
            throw new IllegalArgumentException("not a SHA-256 or git blob SHA-1 ETag: " + etag);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }

    /** Whether {@code text} is a full commit id as the hub writes it (40 lower-case hex digits). */
    static boolean isCommit(String text) {
        return text != null && HEX_40.matcher(text).matches();
    }

    /** Whether {@code etag} (normalised) is a checksum this class can verify: a SHA-256 or a git blob SHA-1. */
    static boolean isChecksum(String etag) {
        return etag != null && (HEX_64.matcher(etag).matches() || HEX_40.matcher(etag).matches());
    }

    /** What the ETag is, for messages: {@code SHA-256} or {@code git blob SHA-1}. */
    String checksumName() {
        return isLfs() ? "SHA-256" : "git blob SHA-1";
    }

    /** A digest that, fed the file's bytes, ends at the ETag: primed with git's blob header for a git file. */
    MessageDigest newDigest() {
        try {
            if (isLfs()) {
                return MessageDigest.getInstance("SHA-256");
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256 and SHA-1", e);
        }
    }

    /** Whether the local {@code path} holds exactly this file (same size, same checksum). */
    boolean isContentOf(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() != size) {
                return false;
            }
            MessageDigest digest = newDigest();
            hash(channel, size, digest);
            return etag.equals(Digests.hex(digest));
        }
    }

    /** Feeds the first {@code length} bytes of {@code channel} to {@code digest}. */
    static void hash(FileChannel channel, long length, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        for (long position = 0; position < length; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("file ended at byte " + position + " of " + length + " while hashing it");
            }
            buffer.flip();
            digest.update(buffer);
            position += read;
        }
    }

    private boolean isLfs() {
        return etag.length() == 64;
    }
}
