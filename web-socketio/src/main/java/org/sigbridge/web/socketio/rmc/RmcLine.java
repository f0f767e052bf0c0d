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
 * <p>On a cluster the offset also names the position, in the user's room channel, of the last envelope of that room
 * the user was handed ({@code <epoch>-<n>@<room position>}, docs/cluster.md §2): the stream lives on one instance, but
 * a socket that comes back to another resumes the room from the channel's log at that position ({@link RmcRecovery}).
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
    /**
     * Messages from users of this instance written into the line directly (not through a channel), oldest first, at
     * most {@link #CAPACITY}, with recovery on: on no log, so handed on if the user comes back on another instance
     * ({@link #forwardTo}; guarded by this).
     */
    private final Deque<Direct> direct = new ArrayDeque<>();
    /** The number of the last event sent when the transport last broke (guarded by this). */
    private long sentAtDetach;
    /** Once the user came back on another instance: where direct messages go instead (guarded by this). */
    private java.util.function.BiConsumer<RmcUser, JsonValue> forward;

    /** A direct message from {@code from}, event number {@code n} of this line. */
    record Direct(long n, RmcUser from, JsonValue value) {
    }

    /** The room channel whose position the offsets carry, or {@code null} (guarded by this). */
    private String room;
    /** The position of the last envelope of {@link #room} handed to the user, or where it entered it (guarded by this). */
    private Position roomPosition;

    private record Kept(long n, String event, List<JsonValue> args) {
    }

    /** @param offsets whether connection state recovery is on for this user */
    RmcLine(SioSocket socket, boolean offsets) {
        this(socket, offsets, false);
    }

    /**
     * @param held whether the line starts detached: what it is sent is kept until {@link #attachHeld} (a user resuming
     *             on another instance, whose replay comes before the CONNECT answer is written)
     */
    RmcLine(SioSocket socket, boolean offsets, boolean held) {
        this.socket = held ? null : socket;
        this.offsets = offsets;
        this.epoch = "rmc" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE), 36);
    }

    /** The position of the last event sent: where a socket that got everything stands. */
    synchronized Position position() {
        return new Position(epoch, sent);
    }

    /**
     * The user entered room channel {@code channel} at {@code at} (its newest position when the user subscribed, or
     * {@code null} when the bridge keeps none): the offsets carry the room's position from now on.
     *
     * @return the number of the last event sent before it entered
     */
    synchronized long enteredRoom(String channel, Position at) {
        room = channel;
        roomPosition = at;
        return sent;
    }

    /** The user left its room: the offsets carry no room position. */
    synchronized void leftRoom() {
        room = null;
        roomPosition = null;
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
     * As {@link #emit(String, List, EnvelopeReceipt)} for an envelope of channel {@code channel} at {@code position}:
     * when it is the user's room, its position is the room's from this event on.
     */
    synchronized boolean emit(String event, List<JsonValue> args, EnvelopeReceipt receipt, String channel, Position position) {
        if (position != null && channel.equals(room)) {
            roomPosition = position;
        }
        return emit(event, args, receipt, false);
    }

    /**
     * A message event from user {@code from} of this instance, written into this line directly (not through a
     * channel). While detached it is also remembered as {@link Direct}; once the user came back on another instance it
     * goes to {@link #forwardTo}'s target instead.
     */
    synchronized boolean emitDirect(String event, JsonValue value, RmcUser from) {
        if (forward != null) {
            forward.accept(from, value);
            return true;
        }
        boolean queued = emit(event, List.of(value), null, false);
        if (offsets) {
            direct.addLast(new Direct(sent, from, value));
            if (direct.size() > CAPACITY) {
                direct.removeFirst();
            }
        }
        return queued;
    }

    /**
     * The user came back on another instance: the direct messages after {@code got} — the position in this stream of
     * the last event its page got, as the other instance read it from the page's offset; when unknown (or not of this
     * stream), those written since its transport broke — go to {@code target}, in order, and so does every direct
     * message written into this line from now on (a sender that picked this user just before it was let go). Under
     * this line's lock, so none is lost or reordered in between.
     *
     * @return how many were handed on
     */
    synchronized int forwardTo(Position got, java.util.function.BiConsumer<RmcUser, JsonValue> target) {
        forward = target;
        long after = got != null && got.epoch().equals(epoch) && got.offset() <= sent ? got.offset() : sentAtDetach;
        int n = 0;
        for (Direct d : direct) {
            if (d.n() > after) {
                target.accept(d.from(), d.value());
                n++;
            }
        }
        direct.clear();
        return n;
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
        withOffset.add(JsonValue.string(RmcOffset.wire(new Position(epoch, sent), roomPosition)));
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
            sentAtDetach = sent;
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

    /**
     * Attaches a line made {@code held} to its socket: calls {@code answer} with whether every event kept meanwhile is
     * still kept (none trimmed past {@link #CAPACITY}), then writes them, once, in order, then live ones; all under this
     * line's lock.
     *
     * @return how many kept events were written
     */
    synchronized int attachHeld(SioSocket s, java.util.function.Consumer<Boolean> answer) {
        answer.accept(kept.isEmpty() || kept.peekFirst().n() == 1);
        return attach(s, new Position(epoch, 0));
    }

    /** The envelopes kept while detached, to report to their senders when the user is gone for good; once. */
    synchronized List<EnvelopeReceipt> takeUnsent() {
        List<EnvelopeReceipt> all = List.copyOf(unsent);
        unsent.clear();
        return all;
    }
}
