package org.sigbridge.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop senders: a few named threads, each owning every k-th client, publish at a fixed total rate
 * regardless of how fast deliveries come back. A thread that falls behind its schedule catches up in a
 * burst and records how far behind it was ({@link #maxLagNanos()}), so a generator-bound run shows.
 */
public final class OpenLoopPacer {
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong maxLagNanos = new AtomicLong();

    /**
     * Starts the threads; they stop by themselves at {@code deadlineNanos}.
     *
     * @param ratePerSecond total messages per second over all clients
     */
    public OpenLoopPacer(BenchClient[] clients, double ratePerSecond, int threadCount, long deadlineNanos) {
        int k = Math.max(1, Math.min(threadCount, clients.length));
        for (int t = 0; t < k; t++) {
            List<BenchClient> mine = new ArrayList<>();
            for (int i = t; i < clients.length; i += k) {
                mine.add(clients[i]);
            }
            double rate = ratePerSecond / k;
            Thread thread = new Thread(() -> pace(mine.toArray(BenchClient[]::new), rate, deadlineNanos),
                    "bench-pacer-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void pace(BenchClient[] mine, double ratePerSecond, long deadlineNanos) {
        double intervalNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        long done = 0;
        int next = 0;
        long now = start;
        while (now < deadlineNanos) {
            long due = (long) ((now - start) / intervalNanos) + 1;
            if (due - done > 1) {
                long lag = now - (start + (long) (done * intervalNanos));
                maxLagNanos.accumulateAndGet(lag, Math::max);
            }
            while (done < due) {
                mine[next].sendNext();
                next = next + 1 == mine.length ? 0 : next + 1;
                done++;
            }
            long wake = start + (long) (done * intervalNanos);
            now = System.nanoTime();
            if (wake > now) {
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, wake - now));
                now = System.nanoTime();
            }
        }
    }

    /** Waits for every pacer thread to finish. */
    public void join() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** The longest time any pacer was behind its schedule. */
    public long maxLagNanos() {
        return maxLagNanos.get();
    }
}
