package org.sigbridge.support;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code perSecond}; each accepted message or request
 * takes one. Used per WebSocket connection and XHR client (web) and for incoming SIP requests (beyond it
 * they are answered 503 with Retry-After, RFC 3261 §21.5.4).
 *
 * <p>Thread-safe: each call holds the instance's lock briefly and never blocks otherwise.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perNano;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    /**
     * @param perSecond tokens added per second, at least 1
     * @param burst     bucket size, also the starting fill, at least 1
     * @param nanoTime  a monotonic clock, e.g. {@code System::nanoTime}
     */
    public TokenBucket(int perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("perSecond and burst must be at least 1, not " + perSecond + " and " + burst);
        }
        this.perNano = (double) perSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until a token will be there; 0 when one is there now. */
    public synchronized long nanosUntilToken() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    /** Whole seconds until a token is back, rounded up and at least 1: a {@code Retry-After} value. */
    public long retryAfterSeconds() {
        long nanos = nanosUntilToken();
        return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
