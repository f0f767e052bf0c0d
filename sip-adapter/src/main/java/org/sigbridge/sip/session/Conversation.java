package org.sigbridge.sip.session;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.sip.SipRoute;

/**
 * The MESSAGE conversation between one channel and one member (RFC 3428 §7: requests outside a dialog
 * may share a Call-ID; CSeq increases). One request in flight at a time, so the member sees the
 * channel's envelopes in order; the rest wait in a bounded queue. Thread-safe (synchronized, short).
 */
final class Conversation {

    final String channel;
    final String memberUri;
    final String callId;
    final String fromTag = Branches.tag();
    private final int capacity;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private long cseq;
    private boolean inFlight;
    private Instant lastUsed;

    /** An envelope waiting for this member, with the route that says how to carry it. */
    record Outgoing(Envelope envelope, SipRoute route) {
    }

    Conversation(String channel, String memberUri, String host, int capacity, Instant now) {
        this.channel = channel;
        this.memberUri = memberUri;
        this.callId = Branches.callId(host);
        this.capacity = capacity;
        this.lastUsed = now;
    }

    /** What {@link #offer} did. */
    enum Offer {
        /** Queued behind the request in flight. */
        QUEUED,
        /** Queued, and nothing was in flight: the caller must start sending. */
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
        if (inFlight) {
            return Offer.QUEUED;
        }
        inFlight = true;
        return Offer.START;
    }

    /** The next envelope to send, or {@code null} (and no longer in flight) when the queue is empty. */
    synchronized Outgoing next() {
        Outgoing o = queue.pollFirst();
        if (o == null) {
            inFlight = false;
        }
        return o;
    }

    synchronized long nextCseq() {
        return ++cseq;
    }

    /** A digest retry used a higher CSeq; keep increasing from there. */
    synchronized void sawCseq(long used) {
        cseq = Math.max(cseq, used);
    }

    synchronized boolean isIdleSince(Instant cutoff) {
        return !inFlight && queue.isEmpty() && lastUsed.isBefore(cutoff);
    }

    synchronized boolean isBusy() {
        return inFlight || !queue.isEmpty();
    }

    /** Empties the queue (shutdown), returning what was waiting. */
    synchronized List<Outgoing> clear() {
        List<Outgoing> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }
}
