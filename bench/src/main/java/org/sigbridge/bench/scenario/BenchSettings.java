package org.sigbridge.bench.scenario;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.WireDialect;

/**
 * Knobs shared by every scenario of one runner invocation.
 *
 * @param repeats  runs per (point, server), interleaved across servers
 * @param warmup   per-run warm-up (uncounted traffic)
 * @param duration per-run measurement window
 */
public record BenchSettings(int repeats, Duration warmup, Duration duration, Duration drain, int payloadBytes,
                            int threads, WireDialect dialect) {

    /** A spec for one point; the URL is filled in per server. */
    public LoadSpec spec(String label, int clients, int perChannel, double ratePerClient, int window) {
        return new LoadSpec(label, URI.create("ws://127.0.0.1:1/"), List.of(), dialect, clients, perChannel, ratePerClient,
                window, payloadBytes, warmup, duration, drain, threads, 200, false);
    }

    public LoadSpec idleSpec(String label, int clients) {
        return new LoadSpec(label, URI.create("ws://127.0.0.1:1/"), List.of(), dialect, clients, 2, 0, 1, payloadBytes,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, threads, 200, true);
    }
}
