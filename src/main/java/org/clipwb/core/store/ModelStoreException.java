package org.clipwb.core.store;

import java.io.IOException;

/** A model-store failure whose message is meant for the user: it says what went wrong and what to do. */
public class ModelStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failure with a user-facing message. */
    public ModelStoreException(String message) {
        super(message);
    }

    /** A failure with a user-facing message and the low-level cause. */
    public ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
