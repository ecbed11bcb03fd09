package org.clipwb.core.store;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pull-style reader of an HTTP response body, one chunk at a time. Written by hand because the JDK's
 * {@code BodyHandlers.ofInputStream()} blocks without a timeout: this reader detects a stalled transfer and wakes up
 * on thread interruption. It requests one chunk ahead, so memory use stays bounded whatever the body size.
 */
final class BodyChunks implements Flow.Subscriber<List<ByteBuffer>> {
    /** Marks the end of the body in the queue. */
    private static final Object END = new Object();

    /** The failure that ended the body, carried through the queue. */
    private record Failure(Throwable cause) {
    }

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (cancelled) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        items.add(chunk);
    }

    @Override
    public void onError(Throwable throwable) {
        items.add(new Failure(throwable));
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    /**
     * The next chunk of the body, or {@code null} at its end. Throws an {@link HttpTimeoutException} when no byte
     * arrived for {@code stallTimeout}, and the transport's error when the connection dropped.
     */
    List<ByteBuffer> next(Duration stallTimeout) throws IOException, InterruptedException {
        Object item = items.poll(stallTimeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new HttpTimeoutException("no data received for " + stallTimeout.toMillis() + " ms");
        }
        if (item == END) {
            return null;
        }
        if (item instanceof Failure failure) {
            throw failure.cause() instanceof IOException io ? io : new IOException(failure.cause());
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> chunk = (List<ByteBuffer>) item;
        subscription.request(1);
        return chunk;
    }

    /** Stops the transfer and releases the connection; safe to call more than once. */
    void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
