package org.sigbridge.web.socketio.engine;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of many sessions that all wait one fixed delay, on one task of the host's timer. Every Engine.IO 4
 * session of an engine waits the same ping interval, then the same ping timeout ({@link ServerPings}), so the deadlines
 * of each kind come due in the order they were set: a FIFO of them is sorted, and one task that sleeps until the head
 * is due, fires every entry due and sleeps again until the next serves them all. Where each session had a
 * {@code ScheduledFutureTask} (with its adapter and lambda, about 0.1 KB, and a cancelled one stays queued until its
 * time), an entry is two array slots (docs/benchmarks.md, "Idle memory per socket.io session, session 12").
 *
 * <p>Cancelling is lazy: the entry stays until it is due, and its {@link Timed} then sees that the deadline it is
 * called for is no longer the one it waits for. Entries fire in deadline order, each no earlier than its deadline, on
 * the timer's thread and outside this queue's lock; {@link #add} may be called from any thread, never blocks, and
 * returns the entry's deadline. Bounded by the sessions: each has at most one entry it waits for per queue, and stale
 * entries leave within one delay; the arrays shrink again when a connect storm's entries are gone.
 */
final class DeadlineQueue {

    private static final Logger log = LoggerFactory.getLogger(DeadlineQueue.class);
    private static final int MIN_CAPACITY = 16;

    /** What waits in the queue: a session's keep-alive. */
    interface Timed {
        /** {@code deadline} (a {@link System#nanoTime} value that {@link #add} returned) is due; timer thread. */
        void due(DeadlineQueue queue, long deadline);
    }

    private final ScheduledExecutorService timer;
    private final long delayNanos;
    // guarded by this: a ring of (entry, deadline), oldest at head
    private Timed[] entries = new Timed[MIN_CAPACITY];
    private long[] deadlines = new long[MIN_CAPACITY];
    private int head;
    private int size;
    private boolean scheduled;

    DeadlineQueue(ScheduledExecutorService timer, Duration delay) {
        this.timer = timer;
        this.delayNanos = delay.toNanos();
    }

    /** Adds {@code entry}, due one delay from now; its deadline, which {@link Timed#due} is called with. */
    long add(Timed entry) {
        long deadline;
        boolean schedule;
        synchronized (this) {
            deadline = System.nanoTime() + delayNanos; // under the lock: the ring stays in deadline order
            if (size == entries.length) {
                resize(2 * entries.length);
            }
            int tail = (head + size) % entries.length;
            entries[tail] = entry;
            deadlines[tail] = deadline;
            size++;
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            schedule(delayNanos);
        }
        return deadline;
    }

    /** Entries waiting, stale ones included. */
    synchronized int size() {
        return size;
    }

    private void schedule(long delay) {
        try {
            timer.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            synchronized (this) {
                scheduled = false; // the host is stopping: its sessions are closed, nothing is due any more
            }
        }
    }

    private void fire() {
        long next;
        while (true) {
            Timed entry;
            long deadline;
            synchronized (this) {
                if (size == 0) {
                    scheduled = false;
                    return;
                }
                deadline = deadlines[head];
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    next = wait; // still scheduled: the next task is the one below
                    break;
                }
                entry = entries[head];
                entries[head] = null;
                head = (head + 1) % entries.length;
                size--;
                if (entries.length > MIN_CAPACITY && size < entries.length / 4) {
                    resize(entries.length / 2);
                }
            }
            try {
                entry.due(this, deadline);
            } catch (RuntimeException bug) {
                log.warn("a keep-alive failed at its deadline", bug);
            }
        }
        schedule(next);
    }

    private void resize(int capacity) {
        Timed[] e = new Timed[capacity];
        long[] d = new long[capacity];
        for (int i = 0; i < size; i++) {
            e[i] = entries[(head + i) % entries.length];
            d[i] = deadlines[(head + i) % entries.length];
        }
        entries = e;
        deadlines = d;
        head = 0;
    }
}
