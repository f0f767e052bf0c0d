package org.sigbridge.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testing.Envelopes.envelope;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.hub.Hub;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testing.RecordingSettings;

/** The hub's series as the ops module exports them (Prometheus text). */
class HubMetricsTest {

    @Test
    void countsEnvelopesInAndOutPerAdapterAndRouteAndDropsByReason() {
        RecordingBackend sip = new RecordingBackend("sip", new RecordingSettings("upstream_rejected", null));
        PrometheusMetrics metrics = new PrometheusMetrics();
        Hub hub = new Hub("m", new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob("pbx-*"),
                new RouteTarget.Leg("sip", "sip:{channel}@pbx", Map.of()), "t:1")), new RouteTarget.Local()),
                Map.of("sip", sip), Clock.systemUTC(), new BridgeMetrics(metrics));
        sip.start(hub);
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.subscribe(a, "pbx-1");

        hub.publish(envelope("room", "a", "1"), a);
        hub.publish(envelope("room", "a", "2"), a);
        hub.publish(envelope("pbx-1", "a", "3"), a);
        hub.legState(new LegState("sip", LegState.Status.READY, "registered"));

        String text = metrics.scrapeText();
        assertTrue(text.contains("sigbridge_envelopes_in_total{adapter=\"web\",route=\"(default)\"} 2.0"), text);
        assertTrue(text.contains("sigbridge_envelopes_out_total{adapter=\"web\",route=\"(default)\"} 2.0"), text);
        assertTrue(text.contains("sigbridge_envelopes_in_total{adapter=\"web\",route=\"pbx-*\"} 1.0"), text);
        assertTrue(text.contains("sigbridge_drops_total{adapter=\"sip\",reason=\"upstream_rejected\"} 1.0"), text);
        assertTrue(text.contains("sigbridge_channels 2.0"), text);
        assertTrue(text.contains("sigbridge_leg_up{adapter=\"sip\"} 1.0"), text);
        assertTrue(text.contains("sigbridge_hub_dispatch_seconds_count 3"), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), text);
    }
}
