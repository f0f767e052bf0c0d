package org.sigbridge.xmpp.session;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with full jitter: attempt {@code n} (from 0) waits a uniform random time in
 * {@code [base·2ⁿ/2, base·2ⁿ]}, never more than the cap. Half the window is kept so that a restarted
 * server is not hit by every bridge at once, yet never retried in a busy loop. Not thread-safe: owned by
 * one session on the worker thread.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;
    private int attempt;

    /**
     * @param random uniform values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.random = Objects.requireNonNull(random, "random");
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

    /** Back to the first, shortest delay (after a successful login). */
    public void reset() {
        attempt = 0;
    }
}
