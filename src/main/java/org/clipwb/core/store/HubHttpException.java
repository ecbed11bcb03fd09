package org.clipwb.core.store;

/** The hub answered a file request with an HTTP error that retrying will not fix (401, 403, 404, other 4xx). */
public class HubHttpException extends ModelStoreException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;

    /** An HTTP error with its status code and a user-facing message. */
    public HubHttpException(int statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    /** The HTTP status code, for example 404. */
    public int statusCode() {
        return statusCode;
    }
}
