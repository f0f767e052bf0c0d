package org.sigbridge.hub;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the hub keeps, read by metrics and tests. Monotonic; thread-safe.
 */
public final class HubStats {

    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder queued = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder failuresReported = new LongAdder();
    final LongAdder channelsOpened = new LongAdder();

    /** Envelopes accepted for fan-out. */
    public long published() {
        return published.sum();
    }

    /** Hand-offs to endpoints that took them for delivery. */
    public long delivered() {
        return delivered.sum();
    }

    /** Hand-offs that wait upstream. */
    public long queued() {
        return queued.sum();
    }

    /** Hand-offs an endpoint refused (slow consumer, upstream queue full). */
    public long rejected() {
        return rejected.sum();
    }

    /** Publishes refused outright (denied route, channel not open). */
    public long refused() {
        return refused.sum();
    }

    /** Failures reported back to the sending endpoint. */
    public long failuresReported() {
        return failuresReported.sum();
    }

    /** Channels opened since start. */
    public long channelsOpened() {
        return channelsOpened.sum();
    }
}
