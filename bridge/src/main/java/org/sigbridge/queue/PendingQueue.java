package org.sigbridge.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A FIFO of items waiting for an upstream to become ready (a MUC room joining, a SIP transport
 * connecting), bounded by count and by age. Nothing leaves it unseen: rejected, evicted and expired
 * items are returned to the caller, who reports them by envelope id.
 *
 * <p>Thread-safe; every method is short and non-blocking.
 *
 * @param <T> the item type
 */
public final class PendingQueue<T> {

    private final int capacity;
    private final Duration maxAge;
    private final OverflowAction overflow;
    private final Clock clock;
    private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();

    /**
     * @param capacity at most this many items, at least 1
     * @param maxAge   an item older than this is expired by {@link #expire()}
     * @param overflow what to give up when full
     * @param clock    time source
     */
    public PendingQueue(int capacity, Duration maxAge, OverflowAction overflow, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The outcome of {@link #offer}. */
    public sealed interface Offer<T> {
        /** Queued; {@code evicted} is the oldest item given up to make room, if any. */
        record Accepted<T>(Optional<T> evicted) implements Offer<T> {
        }

        /** Not queued: the queue is full and refuses the newest. */
        record Rejected<T>() implements Offer<T> {
        }
    }

    /** Adds an item at the tail. */
    public synchronized Offer<T> offer(T item) {
        Objects.requireNonNull(item, "item");
        Optional<T> evicted = Optional.empty();
        if (items.size() >= capacity) {
            if (overflow == OverflowAction.REJECT_NEWEST) {
                return new Offer.Rejected<>();
            }
            evicted = Optional.of(items.pollFirst().item);
        }
        items.addLast(new Entry<>(item, clock.instant()));
        return new Offer.Accepted<>(evicted);
    }

    /** Removes and returns every item older than the maximum age, oldest first. */
    public synchronized List<T> expire() {
        Instant cutoff = clock.instant().minus(maxAge);
        List<T> expired = new ArrayList<>();
        while (!items.isEmpty() && items.peekFirst().enqueuedAt.isBefore(cutoff)) {
            expired.add(items.pollFirst().item);
        }
        return expired;
    }

    /** Removes and returns every item, oldest first. */
    public synchronized List<T> drain() {
        List<T> all = new ArrayList<>(items.size());
        for (Entry<T> e : items) {
            all.add(e.item);
        }
        items.clear();
        return all;
    }

    public synchronized int size() {
        return items.size();
    }

    public synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    public int capacity() {
        return capacity;
    }

    public Duration maxAge() {
        return maxAge;
    }

    private record Entry<T>(T item, Instant enqueuedAt) {
    }
}
