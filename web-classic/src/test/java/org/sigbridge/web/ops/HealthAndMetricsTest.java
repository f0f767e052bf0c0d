package org.sigbridge.web.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/** /healthz, /readyz flipping with a leg's state, and /metrics with the web adapter's own series. */
class HealthAndMetricsTest {

    private TestBridge bridge;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private TestBridge withRecordingLeg() throws Exception {
        return TestBridge.startYaml("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  up:
                    type: recording
                  web:
                    type: web
                    port: 0
                routes:
                  - match: "up-*"
                    to: up
                  - match: "*"
                    to: local
                """);
    }

    @Test
    void healthzAnswersOkWhileTheProcessRuns() throws Exception {
        bridge = TestBridge.start();
        HttpResponse<String> r = Http.get(bridge.http("/healthz"));
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
    }

    @Test
    void readyzWithoutBackEndsIsReady() throws Exception {
        bridge = TestBridge.start();
        HttpResponse<String> r = Http.get(bridge.http("/readyz"));
        assertEquals(200, r.statusCode());
        assertEquals("{\"ready\":true,\"draining\":false,\"notReady\":[],\"legs\":[]}\n", r.body());
    }

    @Test
    void readyzFlipsWithTheLegStateAndNamesTheLegAndWhy() throws Exception {
        bridge = withRecordingLeg();
        RecordingBackend leg = (RecordingBackend) bridge.bridge().adapter("up").orElseThrow();

        HttpResponse<String> starting = Http.get(bridge.http("/readyz"));
        assertEquals(503, starting.statusCode(), "a leg that has not reported is not ready");
        assertTrue(starting.body().contains("\"adapter\":\"up\",\"status\":\"starting\",\"ready\":false,\"detail\":\"no state reported yet\""),
                starting.body());

        leg.context().legState(new LegState("up", LegState.Status.READY, "joined 0 rooms"));
        HttpResponse<String> ready = Http.get(bridge.http("/readyz"));
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().startsWith("{\"ready\":true"), ready.body());

        leg.context().legState(new LegState("up", LegState.Status.DOWN, "connection refused"));
        HttpResponse<String> down = Http.get(bridge.http("/readyz"));
        assertEquals(503, down.statusCode());
        assertTrue(down.body().contains("\"notReady\":[\"up: down (connection refused)\"]"), down.body());
        assertTrue(Http.get(bridge.http("/metrics")).body().contains("sigbridge_leg_up{adapter=\"up\"} 0"));

        leg.context().legState(new LegState("up", LegState.Status.READY, "reconnected"));
        assertEquals(200, Http.get(bridge.http("/readyz")).statusCode());
        assertTrue(Http.get(bridge.http("/metrics")).body().contains("sigbridge_leg_up{adapter=\"up\"} 1"));
    }

    @Test
    void metricsCountConnectionsByDialectFramesErrorsAndHubEnvelopes() throws Exception {
        bridge = TestBridge.start();
        try (WsClient a = WsClient.connect(bridge.ws("/ws/envelope?channel=m"));
             WsClient b = WsClient.connect(bridge.ws("/ws/envelope?channel=m"));
             WsClient c = WsClient.connect(bridge.ws("/ws/channels"))) {
            b.expectPresent("m");
            a.send("{\"sender\":\"a\",\"channel\":\"m\",\"message\":1}");
            b.next();
            a.send("not json");
            assertTrue(a.next().contains("invalid_json"));

            HttpResponse<String> r = Http.get(bridge.http("/metrics"));
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = r.body();
            assertEquals(2.0, value(text, "sigbridge_web_connections{adapter=\"web\",dialect=\"envelope\"}"));
            assertEquals(1.0, value(text, "sigbridge_web_connections{adapter=\"web\",dialect=\"channels\"}"));
            assertEquals(3.0, value(text, "sigbridge_web_frames_in_total{adapter=\"web\"}"), text);
            assertEquals(1.0, value(text, "sigbridge_web_errors_total{adapter=\"web\",code=\"invalid_json\"}"));
            assertEquals(0.0, value(text, "sigbridge_web_rate_limited_total{adapter=\"web\"}"));
            assertEquals(0.0, value(text, "sigbridge_web_slow_consumer_closes_total{adapter=\"web\"}"));
            assertEquals(1.0, value(text, "sigbridge_envelopes_in_total{adapter=\"web\",route=\"*\"}"));
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM basics are there");
            assertTrue(text.contains("sigbridge_hub_dispatch_seconds_bucket"), "hub latency histogram is there");
        }
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
