package org.sigbridge.web.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle-timeout timer of the web port's sockets: a {@link Scheduler} for Jetty's endpoints whose task is one small
 * entry in a hashed wheel, instead of a task in the server scheduler's {@code ScheduledThreadPoolExecutor}.
 *
 * <p>Why: Jetty keeps one idle-timeout task scheduled per socket for the socket's whole life (Jetty's
 * {@code IdleTimeout}: scheduled when the socket opens, again each time it fires before the socket was idle long
 * enough). On the server's scheduler that task is a Jetty wrapper, a JDK {@code ScheduledFutureTask}, its
 * {@code RunnableAdapter} and a slot in the executor's heap: about 0.13 KB per idle socket. Here it is one
 * {@link Entry} of 32 bytes (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14").
 *
 * <p>Contract: a task runs once, on the server scheduler's thread (as Jetty's idle checks did), never before its
 * delay, and at most one {@link #TICK_MILLIS tick} after it when that thread keeps up; {@link Task#cancel()} answers
 * whether it stopped the task from running. {@link #schedule} may be called from any thread and never blocks beyond
 * the wheel's lock, held for one list insertion. A cancelled entry stays linked until the tick passes its slot again
 * (at most one turn of the wheel, {@link #SLOTS} ticks), so memory stays bounded by the sockets and the idle-timeout
 * changes of the last turn. Tasks still waiting when the wheel stops are dropped: the connector closes every socket
 * then. Jetty's endpoints use their scheduler for the idle timeout only.
 */
public final class IdleTimeoutWheel extends AbstractLifeCycle implements Scheduler {

    private static final Logger log = LoggerFactory.getLogger(IdleTimeoutWheel.class);

    /** The wheel's resolution: how late a task may run (for a 60 s idle timeout). */
    static final long TICK_MILLIS = 100;
    /** Slots of the wheel (a power of two); one turn is {@code SLOTS × TICK_MILLIS}, about 102 s. */
    static final int SLOTS = 1024;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

    private final Scheduler clock;
    private final Entry[] slots = new Entry[SLOTS];
    private final long originNanos = System.nanoTime();
    /** The last tick whose slot was run; guarded by {@code slots}. */
    private long ranTick;
    private volatile Task nextTick;

    /** @param clock the server's scheduler: its thread runs the ticks, and with them the tasks */
    public IdleTimeoutWheel(Scheduler clock) {
        this.clock = clock;
    }

    @Override
    protected void doStart() throws Exception {
        synchronized (slots) {
            ranTick = currentTick();
        }
        nextTick = clock.schedule(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        Task t = nextTick;
        if (t != null) {
            t.cancel();
        }
        synchronized (slots) {
            Arrays.fill(slots, null);
        }
    }

    @Override
    public Task schedule(Runnable task, long delay, TimeUnit units) {
        long delayNanos = Math.max(0, units.toNanos(delay));
        // Rounded up: a task never runs before its delay.
        long due = (System.nanoTime() - originNanos + delayNanos + TICK_NANOS - 1) / TICK_NANOS;
        Entry e = new Entry(task, due);
        synchronized (slots) {
            long earliest = ranTick + 1; // a slot already run this turn would wait a whole turn
            int slot = (int) (Math.max(due, earliest) & (SLOTS - 1));
            e.next = slots[slot];
            slots[slot] = e;
        }
        return e;
    }

    private long currentTick() {
        return (System.nanoTime() - originNanos) / TICK_NANOS;
    }

    /** Runs the slots of every tick up to now, then re-arms; on the server scheduler's thread. */
    private void tick() {
        if (!isRunning()) {
            return;
        }
        List<Entry> due = new ArrayList<>();
        synchronized (slots) {
            long now = currentTick();
            // Catch up on ticks the thread missed, but never walk more than one turn: that visits every slot once.
            long from = Math.max(ranTick + 1, now - SLOTS + 1);
            for (long t = from; t <= now; t++) {
                collect((int) (t & (SLOTS - 1)), now, due);
            }
            ranTick = now;
        }
        for (Entry e : due) {
            if (e.compareAndSet(Entry.PENDING, Entry.RUN)) {
                Runnable task = e.task;
                e.task = null;
                try {
                    task.run();
                } catch (RuntimeException | Error failure) {
                    log.warn("idle-timeout task failed", failure);
                }
            }
        }
        if (isRunning()) {
            nextTick = clock.schedule(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Unlinks the slot's due and cancelled entries, adding the due ones to {@code due}. Under the lock. */
    private void collect(int slot, long now, List<Entry> due) {
        Entry kept = null;
        Entry e = slots[slot];
        while (e != null) {
            Entry next = e.next;
            if (e.get() != Entry.PENDING) {
                e.next = null; // cancelled: dropped
            } else if (e.due <= now) {
                e.next = null;
                due.add(e);
            } else {
                e.next = kept; // a later turn's
                kept = e;
            }
            e = next;
        }
        slots[slot] = kept;
    }

    /** Entries waiting or cancelled but not yet unlinked; for tests. */
    int linked() {
        synchronized (slots) {
            int n = 0;
            for (Entry e : slots) {
                for (; e != null; e = e.next) {
                    n++;
                }
            }
            return n;
        }
    }

    /** One scheduled task; its state is the {@link AtomicInteger}'s value (an object fewer per task). */
    @SuppressWarnings("serial") // never serialized
    private static final class Entry extends AtomicInteger implements Task {
        static final int PENDING = 0;
        static final int RUN = 1;
        static final int CANCELLED = 2;

        /**
         * Dropped when cancelled: a cancelled entry stays linked up to a turn of the wheel, and Jetty's task holds its
         * endpoint and with it the closed connection's objects (MixedSoakIT saw 33 MiB of them kept under churn).
         * Read only by the thread whose {@code PENDING → RUN} succeeded, written only by the one whose
         * {@code PENDING → CANCELLED} did: never both.
         */
        Runnable task;
        final long due;
        /** The next entry of the slot; guarded by the wheel's lock. */
        Entry next;

        Entry(Runnable task, long due) {
            this.task = task;
            this.due = due;
        }

        @Override
        public boolean cancel() {
            if (!compareAndSet(PENDING, CANCELLED)) {
                return false;
            }
            task = null;
            return true;
        }
    }
}
