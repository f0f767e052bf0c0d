package org.sigbridge.sip.session;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.sip.SipRoute;

/**
 * The MESSAGE conversation between one channel and one member (RFC 3428 §7: requests outside a dialog
 * may share a Call-ID; CSeq increases). At most {@code window} requests in flight, taken from a bounded queue
 * in order and sent in that order by one thread: 1 unless every request of the conversation goes over one
 * reliable, ordered connection (a route that forces TCP), so the member sees the channel's envelopes in order
 * either way. Thread-safe (synchronized, short).
 */
final class Conversation {

    final String channel;
    final String memberUri;
    final String callId;
    final String fromTag = Branches.tag();
    private final int capacity;
    private final int window;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private long cseq;
    private int inFlight;
    private Instant lastUsed;

    /** An envelope waiting for this member, with the route that says how to carry it. */
    record Outgoing(Envelope envelope, SipRoute route) {
    }

    Conversation(String channel, String memberUri, String host, int capacity, int window, Instant now) {
        if (window < 1 || window > capacity) {
            throw new IllegalArgumentException("window " + window + " must be 1.." + capacity);
        }
        this.window = window;
        this.channel = channel;
        this.memberUri = memberUri;
        this.callId = Branches.callId(host);
        this.capacity = capacity;
        this.lastUsed = now;
    }

    /** What {@link #offer} did. */
    enum Offer {
        /** Queued behind the requests in flight, which fill the window. */
        QUEUED,
        /** Queued, and the window has room: the caller must start sending. */
        START,
        /** Not queued: the queue is full. */
        FULL
    }

    /** Queues an envelope. */
    synchronized Offer offer(Outgoing outgoing, Instant now) {
        if (queue.size() >= capacity) {
            return Offer.FULL;
        }
        queue.addLast(outgoing);
        lastUsed = now;
        return inFlight < window ? Offer.START : Offer.QUEUED;
    }

    /**
     * The next envelope to send, now counted in flight, or {@code null} when the queue is empty or the window
     * full. The caller sends it before taking another, so CSeq and wire order follow queue order.
     */
    synchronized Outgoing take() {
        if (inFlight >= window) {
            return null;
        }
        Outgoing o = queue.pollFirst();
        if (o != null) {
            inFlight++;
        }
        return o;
    }

    /** What the conversation needs after {@link #done}. */
    enum After {
        /** Envelopes wait and the window has room again: the caller must start sending. */
        SEND,
        /** Others are still in flight and nothing waits: their outcomes, or the next {@link #offer}, go on. */
        IN_FLIGHT,
        /** Nothing in flight and nothing waiting. */
        IDLE
    }

    /**
     * One request in flight got its outcome. Only {@link After#SEND} needs a send started: with an empty queue the
     * next {@link #offer} finds the window open and answers {@link Offer#START} itself.
     */
    synchronized After done() {
        if (inFlight > 0) {
            inFlight--;
        }
        if (!queue.isEmpty()) {
            return After.SEND;
        }
        return inFlight == 0 ? After.IDLE : After.IN_FLIGHT;
    }

    synchronized long nextCseq() {
        return ++cseq;
    }

    /** A digest retry used a higher CSeq; keep increasing from there. */
    synchronized void sawCseq(long used) {
        cseq = Math.max(cseq, used);
    }

    synchronized boolean isIdleSince(Instant cutoff) {
        return inFlight == 0 && queue.isEmpty() && lastUsed.isBefore(cutoff);
    }

    synchronized boolean isBusy() {
        return inFlight > 0 || !queue.isEmpty();
    }

    /** Empties the queue (shutdown), returning what was waiting. */
    synchronized List<Outgoing> clear() {
        List<Outgoing> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }
}
