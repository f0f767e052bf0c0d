package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel links of one MUC room and the grace period after the last one closed (docs/design.md §4.5): a room is
 * left only once no link is attached or about to attach and the grace has run out, so a channel reopened meanwhile
 * reuses the joined room. What "grace over" then does (wait for the outbox, release the room) is the
 * {@link MucRoomBinding}'s.
 *
 * <p>Threads: {@link #reserve} and {@link #isReleasable} are called from any thread ({@link #reserve} under the
 * {@link RoomDirectory}'s lock, as a link is about to attach); everything else runs on the adapter's worker, which
 * alone reads and writes the links and the grace timer. Nothing blocks.
 */
final class RoomLinks {

    private final ScheduledExecutorService worker;
    private final AtomicInteger reservations = new AtomicInteger();
    // worker-confined
    private final Map<String, RoomLink> links = new LinkedHashMap<>();
    private ScheduledFuture<?> graceTimer;

    /** @param worker the adapter's worker, which runs the grace timer's task */
    RoomLinks(ScheduledExecutorService worker) {
        this.worker = worker;
    }

    /** A link is about to attach: keeps the room from being released. Any thread, under the directory's lock. */
    void reserve() {
        reservations.incrementAndGet();
    }

    /** No link is attached or about to attach. Any thread. */
    boolean isReleasable() {
        return reservations.get() == 0;
    }

    /** Worker: a reserved link attaches (by channel; it replaces an earlier link of that channel); the grace ends. */
    void attach(RoomLink link) {
        cancelGrace();
        links.put(link.channel(), link);
    }

    /**
     * Worker: a link closed and gives its reservation back.
     *
     * @return true when it was the last one, so the grace starts
     */
    boolean detach(RoomLink link) {
        links.remove(link.channel(), link);
        return reservations.decrementAndGet() == 0;
    }

    /** Worker: (re)starts the grace; {@code over} runs on the worker after {@code delay} unless cancelled. */
    void armGrace(Duration delay, Runnable over) {
        cancelGrace();
        graceTimer = worker.schedule(over, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Worker: stops a running grace, if any. */
    void cancelGrace() {
        RoomMembership.cancel(graceTimer);
    }

    /** Worker: whether no link is attached. */
    boolean isEmpty() {
        return links.isEmpty();
    }

    /** Worker: the linked channels (a live view). */
    Set<String> channels() {
        return links.keySet();
    }

    /** Worker: the links by channel (a live view), for the inbox. */
    Map<String, RoomLink> byChannel() {
        return links;
    }
}
