package org.sigbridge.web.limit;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code perSecond}. Each accepted message takes one token.
 * Not thread-safe: one owner (a WebSocket session, whose frames Jetty delivers one at a time with explicit
 * demand, or an XHR client under its lock).
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perNano;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    /**
     * @param perSecond tokens added per second
     * @param burst     bucket size, also the starting fill
     * @param nanoTime  a monotonic clock, e.g. {@code System::nanoTime}
     */
    public TokenBucket(int perSecond, int burst, LongSupplier nanoTime) {
        this.perNano = (double) perSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token if there is one. */
    public boolean tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until a token will be there; 0 when one is there now. */
    public long nanosUntilToken() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
