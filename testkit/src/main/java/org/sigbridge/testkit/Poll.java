package org.sigbridge.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits for a state that can only be observed by asking (an HTTP status, a counter): asks, and if the
 * answer is not yet right, asks again after a short pause, until a deadline. Where an event exists, wait
 * on it instead (a queue's {@code poll(timeout)}, a latch).
 */
public final class Poll {

    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(50);

    private Poll() {
    }

    /**
     * Asks {@code probe} until {@code ok} accepts its answer, pausing {@code interval} between asks.
     *
     * @return the accepted answer
     * @throws AssertionError naming {@code what} and the last answer when {@code timeout} passes
     */
    public static <T> T until(String what, Duration timeout, Duration interval, Callable<T> probe, Predicate<T> ok) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = probe.call();
            if (ok.test(last)) {
                return last;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("not " + what + " within " + timeout + "; last: " + last);
            }
            LockSupport.parkNanos(Math.min(interval.toNanos(), Math.max(1, deadline - System.nanoTime())));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting until " + what);
            }
        }
    }

    /** {@link #until(String, Duration, Duration, Callable, Predicate)} for a condition, every 50 ms. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws Exception {
        until(what, timeout, DEFAULT_INTERVAL, condition::getAsBoolean, Boolean::booleanValue);
    }
}
