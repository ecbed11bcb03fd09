package org.clipwb.core.store;

/**
 * A downloaded file did not match the size or SHA-256 that the hub announced. The partial file has been deleted, so a
 * later attempt starts from scratch instead of resuming into garbage.
 */
public class DownloadIntegrityException extends ModelStoreException {
    private static final long serialVersionUID = 1L;

    /** A mismatch described for the user: which file, what was expected, what arrived. */
    public DownloadIntegrityException(String message) {
        super(message);
    }
}
