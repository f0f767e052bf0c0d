package org.sigbridge.web.session;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.sigbridge.web.loop.WriteCork;

/**
 * A socket's outbound frames: bounded, with one write in flight; up to {@code batchFrames} waiting frames go out
 * together in one transport write.
 *
 * <p>{@link #offer} may be called from any thread and never blocks. On an event-loop thread with an open
 * {@link WriteCork} (a WebSocket read in progress) the frame waits for the end of the loop turn, or until
 * {@code batchFrames} wait, so that the frames a turn produces for this socket leave in as few writes as batches
 * allow (and a big channel's turn never fills the queue of a reader that keeps up); on any other thread, or with nothing corked, a write
 * starts at once on the calling thread (Jetty's writes are asynchronous). A write that completes inline continues
 * the loop rather than recursing. After {@link #close} every offer answers {@link Offer#CLOSED}.
 *
 * <p>A frame offered with an {@link EnvelopeReceipt} is reported to its envelope's sender if it is dropped unwritten:
 * waiting when the queue closes, or in a write that fails. The reports run outside the lock, on the thread that closed
 * the queue or saw the failure.
 */
public final class OutboundQueue implements WriteCork.Deferred {

    /** The answer to {@link #offer}. */
    public enum Offer { ACCEPTED, OVERFLOW, CLOSED }

    /** Starts small: an idle socket's queue is empty, a busy one grows it (the bound is {@code capacity}). */
    private final ArrayDeque<Object> frames = new ArrayDeque<>(4); // ByteBuffer, or Tracked when a receipt rides along
    /**
     * The queue's monitor: the deque itself, which never leaves this object, rather than an object of its own (16 bytes
     * per socket; docs/benchmarks.md, "Idle memory per WebSocket connection, session 14").
     */
    private final Object lock = frames;
    private final int capacity;
    private final int batchFrames;
    private final FrameSink sink;
    private final Consumer<Throwable> onWriteFailure;
    private boolean sending;
    /** Waiting in a {@link WriteCork} for the end of a loop turn; at most one cork holds a queue at a time. */
    private boolean corked;
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

    /** A frame with the receipt of the envelope it carries. */
    private record Tracked(ByteBuffer frame, EnvelopeReceipt receipt) {
    }

    /** Queues a frame's UTF-8 payload; {@link Offer#OVERFLOW} if {@code capacity} frames already wait (nothing is queued then). */
    public Offer offer(ByteBuffer frame) {
        return offer(frame, null);
    }

    /**
     * Queues a frame that carries an envelope: as {@link #offer(ByteBuffer)}, and once queued ({@link Offer#ACCEPTED})
     * the envelope is reported to its sender through {@code receipt} if the frame is dropped unwritten. A frame not
     * queued (overflow, closed) is the caller's to report.
     *
     * @param receipt the envelope's receipt, or {@code null} for a frame that carries none
     */
    public Offer offer(ByteBuffer frame, EnvelopeReceipt receipt) {
        return offer(frame, receipt, capacity);
    }

    /**
     * Queues a frame that reports a failure to this socket's client (an error frame naming an envelope id) with a
     * reserve: up to twice {@code capacity} frames may wait. When a slow consumer is closed, every envelope that waited
     * for it is reported to its sender at once, on one thread; a sender that keeps up must not be closed as a slow
     * consumer by that burst (docs/reliability.md, "browser stall"). Still bounded.
     */
    public Offer offerReport(ByteBuffer frame) {
        return offer(frame, null, 2 * capacity);
    }

    private Offer offer(ByteBuffer frame, EnvelopeReceipt receipt, int bound) {
        WriteCork cork = WriteCork.current();
        synchronized (lock) {
            if (closed) {
                return Offer.CLOSED;
            }
            if (frames.size() >= bound) {
                return Offer.OVERFLOW;
            }
            frames.addLast(receipt == null ? frame : new Tracked(frame, receipt));
            if (sending) {
                return Offer.ACCEPTED; // the write in flight takes it along
            }
            if (corked) {
                if (frames.size() < batchFrames) {
                    return Offer.ACCEPTED; // the cork's release takes it along
                }
                // A full batch already: write it now rather than let a big channel's turn fill the queue to its
                // bound (which closes the socket as a slow consumer). The cork's release writes what follows.
                sending = true;
                cork = null;
            } else if (cork != null) {
                corked = true;
            } else {
                sending = true;
            }
        }
        if (cork != null) {
            cork.defer(this);
        } else {
            pump();
        }
        return Offer.ACCEPTED;
    }

    /** The loop turn that held this queue back is over: write what waits. Only {@link WriteCork} calls this. */
    @Override
    public void release() {
        synchronized (lock) {
            corked = false;
            if (sending || closed || frames.isEmpty()) {
                lock.notifyAll(); // awaitIdle counts a corked queue as busy
                return;
            }
            sending = true;
        }
        pump();
    }

    /**
     * Starts writing now what a {@link WriteCork} holds back, without waiting for the end of the loop turn: a
     * close is about to follow, and the frames before it (an error frame naming the reason) must go first.
     */
    public void writeHeld() {
        synchronized (lock) {
            if (!corked || sending || closed || frames.isEmpty()) {
                return;
            }
            sending = true; // still corked: the cork's release finds nothing left and only clears the mark
        }
        pump();
    }

    /** {@link #close(String)}: the socket closed. */
    public void close() {
        close("the socket closed before this frame was written");
    }

    /**
     * Drops what waits and refuses new frames; a write in flight finishes. Every dropped frame that carries an
     * envelope is reported to its sender with {@code why}. Idempotent.
     */
    public void close(String why) {
        List<EnvelopeReceipt> dropped;
        synchronized (lock) {
            closed = true;
            dropped = drop();
            lock.notifyAll();
        }
        report(dropped, why);
    }

    /** Empties the queue; the receipts of the frames it held. Under the lock. */
    private List<EnvelopeReceipt> drop() {
        List<EnvelopeReceipt> dropped = List.of();
        for (Object o : frames) {
            if (o instanceof Tracked t) {
                if (dropped.isEmpty()) {
                    dropped = new ArrayList<>();
                }
                dropped.add(t.receipt());
            }
        }
        frames.clear();
        return dropped;
    }

    private static void report(List<EnvelopeReceipt> dropped, String why) {
        for (EnvelopeReceipt r : dropped) {
            r.notWritten(why);
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
            while (sending || corked || (!frames.isEmpty() && !closed)) {
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
            List<EnvelopeReceipt> receipts = List.of();
            synchronized (lock) {
                if (closed || frames.isEmpty()) {
                    sending = false;
                    lock.notifyAll();
                    return;
                }
                int n = Math.min(batchFrames, frames.size());
                if (n == 1) {
                    // One frame per write is the common case of a socket that keeps up: no batch list to grow.
                    Object o = frames.pollFirst();
                    if (o instanceof Tracked t) {
                        receipts = List.of(t.receipt());
                        batch = List.of(t.frame());
                    } else {
                        batch = List.of((ByteBuffer) o);
                    }
                } else {
                    ByteBuffer[] taken = new ByteBuffer[n];
                    for (int i = 0; i < n; i++) {
                        Object o = frames.pollFirst();
                        if (o instanceof Tracked t) {
                            if (receipts.isEmpty()) {
                                receipts = new ArrayList<>(n - i); // sized once: no growth while the batch is taken
                            }
                            receipts.add(t.receipt());
                            taken[i] = t.frame();
                        } else {
                            taken[i] = (ByteBuffer) o;
                        }
                    }
                    batch = Arrays.asList(taken);
                }
            }
            Write write = new Write(receipts);
            sink.send(batch, write);
            if (!write.returnedAfterCompletion()) {
                return; // completes later, on a Jetty thread, and pumps from there
            }
        }
    }

    /** One write in flight; tells inline completion (loop on) from later completion (pump again). */
    @SuppressWarnings("serial") // never serialized: the state of one write, as an AtomicInteger to save an object per write
    private final class Write extends AtomicInteger implements FrameSink.Completion {
        private static final int PENDING = 0;
        private static final int RETURNED = 1;
        private static final int DONE_INLINE = 2;
        /** The envelopes this write carries: reported if it fails. */
        private final List<EnvelopeReceipt> receipts;

        Write(List<EnvelopeReceipt> receipts) {
            super(PENDING);
            this.receipts = receipts;
        }

        @Override
        public void succeeded() {
            if (!compareAndSet(PENDING, DONE_INLINE)) {
                pump();
            }
        }

        @Override
        public void failed(Throwable cause) {
            List<EnvelopeReceipt> dropped;
            synchronized (lock) {
                closed = true;
                dropped = drop();
                sending = false;
                lock.notifyAll();
            }
            String why = "the write failed (" + cause.getClass().getSimpleName() + "); the socket is gone";
            report(receipts, why);
            report(dropped, why);
            onWriteFailure.accept(cause);
        }

        boolean returnedAfterCompletion() {
            return !compareAndSet(PENDING, RETURNED) && get() == DONE_INLINE;
        }
    }
}
