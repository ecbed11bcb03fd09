package org.clipwb.core.describe;

import java.io.IOException;

/** Descriptions could not be obtained; the message says from where, for what, what went wrong and what to do. */
public class DescriptionException extends IOException {
    public DescriptionException(String message) {
        super(message);
    }

    public DescriptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
