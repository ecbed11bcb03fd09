package org.clipwb.core.image;

import java.nio.file.Path;

/** An image file that could not be decoded: carries the file and a short human reason ("empty file", "truncated JPEG data"). */
public final class ImageDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String reason;

    /** A failure to decode {@code path} for {@code reason}. */
    public ImageDecodeException(Path path, String reason) {
        this(path, reason, null);
    }

    /** A failure to decode {@code path} for {@code reason}, caused by {@code cause}. */
    public ImageDecodeException(Path path, String reason, Throwable cause) {
        super("Cannot decode image " + path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The file that failed. */
    public Path path() {
        return path;
    }

    /** Why it failed, short and human-readable. */
    public String reason() {
        return reason;
    }
}
