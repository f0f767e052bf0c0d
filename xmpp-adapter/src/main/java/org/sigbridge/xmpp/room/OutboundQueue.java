package org.sigbridge.xmpp.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.queue.OverflowAction;
import org.sigbridge.queue.PendingQueue;

/**
 * A room's envelopes on their way out, in arrival order. Hub threads {@link #offer} into a bounded,
 * time-limited {@link PendingQueue} (refusing the newest when full, so the hub reports it at once);
 * the worker moves them into a short head queue it sends from, where an envelope stays until a stanza
 * was handed to Smack. So an outage in the middle of a flush loses nothing and keeps the order.
 *
 * <p>Bounds: at most {@code capacity} waiting in the pending queue; the head holds at most one drain of it
 * ({@code capacity}) plus what {@link #requeueFront} put back (at most the send window, also
 * {@code capacity}); everything expires after {@code maxAge}.
 */
final class OutboundQueue {

    private final PendingQueue<Waiting> pending;
    private final Duration maxAge;
    private final Clock clock;
    private final ArrayDeque<Waiting> head = new ArrayDeque<>(); // worker-confined

    OutboundQueue(int capacity, Duration maxAge, Clock clock) {
        this.pending = new PendingQueue<>(capacity, maxAge, OverflowAction.REJECT_NEWEST, clock);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Any thread. {@code false} when the queue is full and the envelope was not taken. */
    boolean offer(Waiting waiting) {
        return pending.offer(waiting) instanceof PendingQueue.Offer.Accepted<Waiting>;
    }

    /** Worker: the oldest envelope not yet sent, or {@code null}. */
    Waiting peek() {
        if (head.isEmpty()) {
            head.addAll(pending.drain());
        }
        return head.peekFirst();
    }

    /** Worker: the envelope {@link #peek} returned was sent. */
    void removeHead() {
        head.pollFirst();
    }

    /**
     * Worker: puts envelopes that were sent but never confirmed back in front of everything else, in their
     * original order, to be sent again first (see {@link AwaitingReflection}).
     */
    void requeueFront(List<Waiting> unconfirmed) {
        for (int i = unconfirmed.size() - 1; i >= 0; i--) {
            head.addFirst(unconfirmed.get(i));
        }
    }

    /** Worker: removes and returns everything older than the maximum age, oldest first. */
    List<Waiting> expire() {
        Instant cutoff = clock.instant().minus(maxAge);
        List<Waiting> expired = new ArrayList<>();
        while (!head.isEmpty() && head.peekFirst().queuedAt().isBefore(cutoff)) {
            expired.add(head.pollFirst());
        }
        expired.addAll(pending.expire());
        return expired;
    }

    /** Worker: removes and returns everything, oldest first. */
    List<Waiting> drainAll() {
        List<Waiting> all = new ArrayList<>(head);
        head.clear();
        all.addAll(pending.drain());
        return all;
    }

    /** Worker. */
    boolean isEmpty() {
        return head.isEmpty() && pending.isEmpty();
    }

    int capacity() {
        return pending.capacity();
    }
}
