package org.sigbridge.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.testing.Envelopes.envelope;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testing.RecordingSettings;

/** A host with a metrics system of its own hands the bridge a {@link Metrics} and gets the hub's counts there. */
class HostMetricsTest {

    /** The host's own counters: name and label values to a count. */
    private static final class HostCounters implements Metrics {

        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public Counter counter(String name, String help, String... labelNames) {
            return labelValues -> {
                LongAdder n = counts.computeIfAbsent(name + List.of(labelValues), k -> new LongAdder());
                return n::increment;
            };
        }

        @Override
        public Timer timer(String name, String help, double... upperBoundsSeconds) {
            LongAdder n = counts.computeIfAbsent(name + "_count", k -> new LongAdder());
            return nanos -> n.increment();
        }

        @Override
        public Registration gauges(String name, String help, List<String> labelNames, Sampler sampler) {
            return () -> {
            };
        }

        @Override
        public Registration counters(String name, String help, List<String> labelNames, Sampler sampler) {
            return () -> {
            };
        }

        long count(String key) {
            LongAdder n = counts.get(key);
            return n == null ? 0 : n.sum();
        }
    }

    @Test
    void theHubCountsIntoTheHostsMetrics() throws Exception {
        HostCounters host = new HostCounters();
        BridgeConfig config = BridgeConfig.of(Map.of("upstream", new RecordingSettings(null, null)));

        try (SigBridge bridge = SigBridge.create(config, ConfigLoader.installedFactories(), Clock.systemUTC(), host)) {
            bridge.start();
            RecordingEndpoint a = new RecordingEndpoint("a");
            RecordingEndpoint b = new RecordingEndpoint("b");
            bridge.hub().subscribe(a, "c");
            bridge.hub().subscribe(b, "c");
            bridge.hub().publish(envelope("c", "a", "1"), a);
            assertEquals("1", b.envelopes().next().message().json());
        }

        assertEquals(1, host.count("sigbridge_envelopes_in_total[web, (default)]"));
        assertEquals(1, host.count("sigbridge_envelopes_out_total[web, (default)]"));
        assertEquals(1, host.count("sigbridge_hub_dispatch_seconds_count"));
    }
}
