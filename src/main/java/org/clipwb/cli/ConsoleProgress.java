package org.clipwb.cli;

import java.io.PrintWriter;

/**
 * A progress line on standard error: rewritten in place on a terminal (a few times per second), or printed as
 * plain lines every few seconds when the output goes to a log.
 */
final class ConsoleProgress implements AutoCloseable {
    private static final long TERMINAL_INTERVAL_NANOS = 150_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastShown;
    private int shownWidth;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    /** Shows a status, unless one was shown very recently. */
    synchronized void show(String status) {
        long now = System.nanoTime();
        if (lastShown == 0 && !terminal) {
            lastShown = now; // in a log, a line only for work that lasts a while
            return;
        }
        if (lastShown != 0 && now - lastShown < (terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            return;
        }
        lastShown = now;
        if (terminal) {
            err.print("\r" + status + " ".repeat(Math.max(0, shownWidth - status.length())));
            shownWidth = status.length();
        } else {
            err.println(status);
        }
        err.flush();
    }

    /** Prints a line that stays (a note between progress updates), clearing the in-place line first. */
    synchronized void note(String line) {
        clear();
        err.println(line);
        err.flush();
    }

    /** Removes the in-place line so that the next output starts clean. */
    synchronized void clear() {
        if (terminal && shownWidth > 0) {
            err.print("\r" + " ".repeat(shownWidth) + "\r");
            err.flush();
            shownWidth = 0;
        }
    }

    @Override
    public void close() {
        clear();
    }
}
