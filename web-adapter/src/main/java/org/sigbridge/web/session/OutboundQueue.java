package org.sigbridge.web.session;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A socket's outbound frames: bounded, with one write in flight. When a write completes and several frames
 * wait, up to {@code batchFrames} of them go out together in one transport write. On a fast link writes complete
 * at once, so frames rarely wait and most go out one per write; gathering across a whole read burst, as Node's
 * corked sockets do, would need an end-of-burst hook Jetty does not offer (docs/benchmarks.md).
 *
 * <p>{@link #offer} may be called from any thread and never blocks: it enqueues, and if nothing is in flight
 * starts a write on the calling thread (Jetty's writes are asynchronous). A write that completes inline
 * continues the loop rather than recursing. After {@link #close} every offer answers {@link Offer#CLOSED}.
 */
public final class OutboundQueue {

    /** The answer to {@link #offer}. */
    public enum Offer { ACCEPTED, OVERFLOW, CLOSED }

    private final Object lock = new Object();
    /** Starts small: an idle socket's queue is empty, a busy one grows it (the bound is {@code capacity}). */
    private final ArrayDeque<ByteBuffer> frames = new ArrayDeque<>(4);
    private final int capacity;
    private final int batchFrames;
    private final FrameSink sink;
    private final Consumer<Throwable> onWriteFailure;
    private boolean sending;
    private boolean closed;

    /**
     * @param capacity       frames that may wait
     * @param batchFrames    most frames per write
     * @param sink           the transport
     * @param onWriteFailure told once when a write fails (the socket is gone); the queue is closed by then
     */
    public OutboundQueue(int capacity, int batchFrames, FrameSink sink, Consumer<Throwable> onWriteFailure) {
        this.capacity = capacity;
        this.batchFrames = batchFrames;
        this.sink = sink;
        this.onWriteFailure = onWriteFailure;
    }

    /** Queues a frame's UTF-8 payload; {@link Offer#OVERFLOW} if {@code capacity} frames already wait (nothing is queued then). */
    public Offer offer(ByteBuffer frame) {
        synchronized (lock) {
            if (closed) {
                return Offer.CLOSED;
            }
            if (frames.size() >= capacity) {
                return Offer.OVERFLOW;
            }
            frames.addLast(frame);
            if (sending) {
                return Offer.ACCEPTED;
            }
            sending = true;
        }
        pump();
        return Offer.ACCEPTED;
    }

    /** Drops what waits and refuses new frames; a write in flight finishes. Idempotent. */
    public void close() {
        synchronized (lock) {
            closed = true;
            frames.clear();
            lock.notifyAll();
        }
    }

    /** Frames waiting (not counting the write in flight). */
    public int size() {
        synchronized (lock) {
            return frames.size();
        }
    }

    /**
     * Blocks until nothing waits and nothing is in flight, or {@code timeout} passes. For drain, on the
     * bridge's stopping thread; never on a Jetty thread.
     *
     * @return whether the queue is idle
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (sending || (!frames.isEmpty() && !closed)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void pump() {
        while (true) {
            List<ByteBuffer> batch;
            synchronized (lock) {
                if (closed || frames.isEmpty()) {
                    sending = false;
                    lock.notifyAll();
                    return;
                }
                int n = Math.min(batchFrames, frames.size());
                batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(frames.pollFirst());
                }
            }
            Write write = new Write();
            sink.send(batch, write);
            if (!write.returnedAfterCompletion()) {
                return; // completes later, on a Jetty thread, and pumps from there
            }
        }
    }

    /** One write in flight; tells inline completion (loop on) from later completion (pump again). */
    private final class Write implements FrameSink.Completion {
        private static final int PENDING = 0;
        private static final int RETURNED = 1;
        private static final int DONE_INLINE = 2;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        @Override
        public void succeeded() {
            if (!state.compareAndSet(PENDING, DONE_INLINE)) {
                pump();
            }
        }

        @Override
        public void failed(Throwable cause) {
            synchronized (lock) {
                closed = true;
                frames.clear();
                sending = false;
                lock.notifyAll();
            }
            onWriteFailure.accept(cause);
        }

        boolean returnedAfterCompletion() {
            return !state.compareAndSet(PENDING, RETURNED) && state.get() == DONE_INLINE;
        }
    }
}
