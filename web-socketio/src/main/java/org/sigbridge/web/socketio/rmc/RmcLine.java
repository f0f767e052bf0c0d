package org.sigbridge.web.socketio.rmc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.Position;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.socketio.sio.SioSocket;

/**
 * What an RTCMultiConnection user is sent, through the socket it is attached to now (docs/socketio.md, "Connection state
 * recovery"). Without recovery it only forwards. With connection state recovery on, every event carries its position in
 * this user's own stream as its last argument ({@code <epoch>-<n>}, which socket.io-client 4.6+ keeps as its offset),
 * and the last {@link #CAPACITY} events are kept: while the user's transport is broken ({@link #detach}) events are only
 * kept, and a socket that comes back with the offset of the last event it got is {@linkplain #attach attached} after the
 * events that followed it are written again, once, in order, before any newer one. Acks are never kept (socket.io does
 * not recover them). A user's stream holds what was emitted to it and nothing else, so an addressed message is only
 * ever replayed to its addressee.
 *
 * <p>Thread-safe: one lock; emitting only formats and enqueues ({@link SioSocket}), so it never blocks.
 */
final class RmcLine {

    /** Events kept per user for recovery. */
    static final int CAPACITY = 512;

    private final boolean offsets;
    private final String epoch;
    /** The socket written to, or {@code null} while the transport is broken (guarded by this). */
    private SioSocket socket;
    /** Number of the last event sent (guarded by this). */
    private long sent;
    /** The last {@link #CAPACITY} events, oldest first (guarded by this; empty without offsets). */
    private final Deque<Kept> kept = new ArrayDeque<>();
    /** Receipts of envelopes kept while detached, to report if nobody comes back for them (guarded by this). */
    private final List<EnvelopeReceipt> unsent = new ArrayList<>();

    private record Kept(long n, String event, List<JsonValue> args) {
    }

    /** @param offsets whether connection state recovery is on for this user */
    RmcLine(SioSocket socket, boolean offsets) {
        this.socket = socket;
        this.offsets = offsets;
        this.epoch = "rmc" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE), 36);
    }

    /** The position of the last event sent: where a socket that got everything stands. */
    synchronized Position position() {
        return new Position(epoch, sent);
    }

    /** Emits an event; false when the socket's queue refused it. While detached it is kept and counts as sent. */
    boolean emit(String event, List<JsonValue> args) {
        return emit(event, args, null);
    }

    /** As {@link #emit(String, List)}; {@code receipt} reports the envelope it carries if it is never written. */
    synchronized boolean emit(String event, List<JsonValue> args, EnvelopeReceipt receipt) {
        return emit(event, args, receipt, false);
    }

    /**
     * As {@link #emit(String, List)} for an event that reports a failure to the user (an {@code error} naming an
     * envelope): written through the queue's reserve ({@link SioSocket#report}).
     */
    synchronized boolean report(String event, List<JsonValue> args) {
        return emit(event, args, null, true);
    }

    private boolean emit(String event, List<JsonValue> args, EnvelopeReceipt receipt, boolean report) {
        if (!offsets) {
            return write(event, args, receipt, report);
        }
        sent++;
        List<JsonValue> withOffset = new ArrayList<>(args);
        withOffset.add(JsonValue.string(epoch + "-" + sent));
        kept.addLast(new Kept(sent, event, List.copyOf(withOffset)));
        if (kept.size() > CAPACITY) {
            kept.removeFirst();
        }
        if (socket == null) {
            if (receipt != null) {
                unsent.add(receipt);
            }
            return true;
        }
        return write(event, withOffset, receipt, report);
    }

    private boolean write(String event, List<JsonValue> args, EnvelopeReceipt receipt, boolean report) {
        if (report) {
            return socket.report(event, args);
        }
        return receipt == null ? socket.emit(event, args) : socket.emit(event, args, receipt);
    }

    /** Answers an ack request on the current socket; dropped while detached. */
    synchronized void ack(long ackId, List<JsonValue> args) {
        if (socket != null) {
            socket.ack(ackId, args);
        }
    }

    /** Whether the transport is broken and no socket took the stream over. */
    synchronized boolean detached() {
        return socket == null;
    }

    /** Whether {@code s} is the socket written to now. */
    synchronized boolean current(SioSocket s) {
        return socket == s;
    }

    /** The transport of {@code s} broke: from now on events are kept for a socket that comes back. */
    synchronized void detach(SioSocket s) {
        if (socket == s) {
            socket = null;
        }
    }

    /**
     * Whether a socket that got events up to {@code since} can take the stream over: {@code since} is of this stream
     * and every event after it is still kept.
     */
    synchronized boolean canResume(Position since) {
        if (!offsets || since == null || !since.epoch().equals(epoch) || since.offset() > sent) {
            return false;
        }
        long oldestKept = kept.isEmpty() ? sent + 1 : kept.peekFirst().n();
        return since.offset() + 1 >= oldestKept;
    }

    /**
     * Takes the stream over for {@code s} when {@link #canResume}: runs {@code answer} (which writes the CONNECT answer),
     * then writes the events after {@code since} to {@code s}, then live ones; all under this line's lock, so nothing
     * is kept, trimmed or sent in between.
     *
     * @return how many events were written again, or -1 when the stream cannot be resumed (nothing was done)
     */
    synchronized int resume(SioSocket s, Position since, Runnable answer) {
        if (!canResume(since)) {
            return -1;
        }
        answer.run();
        return attach(s, since);
    }

    private int attach(SioSocket s, Position since) {
        socket = s;
        unsent.clear();
        int replayed = 0;
        for (Kept k : kept) {
            if (k.n() > since.offset()) {
                s.emit(k.event(), k.args());
                replayed++;
            }
        }
        return replayed;
    }

    /** The envelopes kept while detached, to report to their senders when the user is gone for good; once. */
    synchronized List<EnvelopeReceipt> takeUnsent() {
        List<EnvelopeReceipt> all = List.copyOf(unsent);
        unsent.clear();
        return all;
    }
}
