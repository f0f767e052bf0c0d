package org.sigbridge.sip.session;

/**
 * A token bucket over incoming requests: {@code perSecond} tokens per second, at most {@code perSecond}
 * saved up. Beyond it requests are answered 503 with Retry-After (RFC 3261 §21.5.4). Thread-safe.
 */
public final class InboundRateLimit {

    private final int perSecond;
    private double tokens;
    private long lastNanos;

    public InboundRateLimit(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = System.nanoTime();
    }

    /** Takes a token if one is there. */
    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whole seconds until a token is back, at least 1. */
    public synchronized int retryAfterSeconds() {
        return (int) Math.max(1, Math.ceil((1 - tokens) / perSecond));
    }
}
