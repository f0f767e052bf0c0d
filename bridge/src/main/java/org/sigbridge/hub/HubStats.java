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
    final Resumes resumes = new Resumes();

    /** Resumes (docs/design.md §3.8): how many recovered, how many could not, how many envelopes were replayed. */
    static final class Resumes {
        final LongAdder recovered = new LongAdder();
        final LongAdder notRecovered = new LongAdder();
        final LongAdder replayed = new LongAdder();
    }

    /** Resumes that replayed what the client missed. */
    public long resumesRecovered() {
        return resumes.recovered.sum();
    }

    /** Resumes the history could not serve (answered "not recovered"). */
    public long resumesNotRecovered() {
        return resumes.notRecovered.sum();
    }

    /** Envelopes replayed to resuming clients. */
    public long replayed() {
        return resumes.replayed.sum();
    }

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
