package org.sigbridge.web.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.WebAdapter;

/** Every web adapter of a bridge exports its {@code sigbridge_web_*} series, not only the first one. */
class TwoWebAdaptersMetricsTest {

    @Test
    void metricsOnEitherPortCarryBothWebAdaptersSeries() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.fromYaml("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                  web2:
                    type: web
                    port: 0
                """)) {
            int port1 = bridge.adapter("web", WebAdapter.class).port();
            int port2 = bridge.adapter("web2", WebAdapter.class).port();
            try (WsClient a = WsClient.connect(URI.create("ws://127.0.0.1:" + port2 + "/ws/envelope?channel=m"))) {
                URI metrics = URI.create("http://127.0.0.1:" + port1 + "/metrics");
                // The socket is counted once Jetty has handed it to the adapter: wait for that, not for a fixed time.
                String text = Poll.until("web2's socket is counted", Duration.ofSeconds(5), Duration.ofMillis(20),
                        () -> Http.get(metrics).body(), t -> t.contains("sigbridge_web_connections_opened_total{adapter=\"web2\"} 1.0"));

                assertTrue(text.contains("sigbridge_web_connections_opened_total{adapter=\"web\"} 0.0"), text);
                assertTrue(text.contains("sigbridge_web_connections{adapter=\"web2\",dialect=\"envelope\"} 1.0"), text);
                assertEquals(2, text.lines().filter(l -> l.startsWith("sigbridge_web_draining{")).count(), text);
            }
        }
    }
}
