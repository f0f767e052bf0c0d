package org.sigbridge.support;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: attempt {@code n} (from 0) waits a uniform random time in
 * {@code [w/2, w]} where {@code w = min(cap, base·2ⁿ)}. Half the window is kept so that a restarted server
 * (an XMPP server, a SIP registrar) is not hit by every bridge at once, yet never retried in a busy loop.
 * Used for XMPP reconnects and MUC rejoins, and for SIP re-REGISTER after a failure.
 *
 * <p>Not thread-safe: owned by one session or registration, on its worker thread.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;
    private int attempt;

    /**
     * @param base   the window of the first attempt; at least 1 ms is used
     * @param cap    the largest window; attempts beyond it keep waiting {@code [cap/2, cap]}
     * @param random uniform values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A backoff drawing its jitter from {@link ThreadLocalRandom}. */
    public static Backoff jittered(Duration base, Duration cap) {
        return new Backoff(base, cap, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration next() {
        long baseMs = Math.max(1, base.toMillis());
        long ceiling = Math.min(cap.toMillis(), baseMs << Math.min(attempt, 30));
        attempt++;
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + (long) (random.getAsDouble() * (ceiling - floor + 1)));
    }

    /** Failures since the last {@link #reset()}. */
    public int attempts() {
        return attempt;
    }

    /** Back to the first, shortest delay (after a success). */
    public void reset() {
        attempt = 0;
    }
}
