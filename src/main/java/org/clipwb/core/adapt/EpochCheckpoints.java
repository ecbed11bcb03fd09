package org.clipwb.core.adapt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a run's end-of-epoch checkpoints on a thread of their own, so that training does not wait for the disk: on
 * cached embeddings an epoch takes milliseconds and a forced write about as long. A checkpoint still waiting when a
 * newer one arrives is replaced by it (a resume needs only the latest). {@link #flush} waits for the latest to be on
 * disk; the run calls it when a phase ends, is cancelled or fails, so that what a phase leaves behind is always its
 * last finished epoch. A failed write is reported at the next save or flush.
 */
final class EpochCheckpoints {
    private final RunStore store;
    /** One thread at most, which ends after a second without work: a run leaves no thread behind. */
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "clipwb-checkpoints");
                thread.setDaemon(true);
                return thread;
            });
    private final AtomicReference<Pending> latest = new AtomicReference<>();
    private volatile IOException failure;

    private record Pending(String phase, Checkpoint state) {
    }

    EpochCheckpoints(RunStore store) {
        this.store = store;
    }

    /** Queues {@code state} as the phase's latest checkpoint, replacing one not yet written. */
    void save(String phase, Checkpoint state) throws IOException {
        rethrowFailure();
        if (latest.getAndSet(new Pending(phase, state)) == null) {
            writer.execute(this::writeLatest);
        }
    }

    /** Waits until every queued checkpoint is on disk; throws what a write failed with. */
    void flush() throws IOException {
        try {
            writer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while a checkpoint was being written", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        rethrowFailure();
    }

    private void writeLatest() {
        Pending pending = latest.getAndSet(null);
        if (pending == null || failure != null) {
            return;
        }
        try {
            store.save(pending.phase(), pending.state());
        } catch (IOException e) {
            failure = e;
        } catch (UncheckedIOException e) {
            failure = e.getCause();
        }
    }

    private void rethrowFailure() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("could not save a checkpoint: " + failed.getMessage(), failed);
        }
    }
}
