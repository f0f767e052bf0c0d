package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * {@code /metrics} of a running bridge with a SIP adapter carries the {@code sigbridge_sip_*} series that
 * docs/operations.md promises, exported like every adapter's (labelled by adapter name). The bridge has no web
 * adapter: the ops module serves {@code /metrics} on its own port ({@code bridge.ops}), scraped over HTTP.
 */
class SipMetricsExportTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private int port;
    private BridgeUnderTest bridge;
    private RawSipClient client;

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.tcpAndUdp();
        bridge = BridgeUnderTest.start("""
                bridge:
                  ops:
                    port: 0
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                routes:
                  - match: "*"
                    to: sip
                    target: none
                """, Map.of("PORT", Integer.toString(port)));
        client = new RawSipClient();
    }

    @AfterEach
    void stop() {
        client.close();
        bridge.close();
    }

    @Test
    void metricsOnTheOpsPortExportTheSipAdaptersCountersAfterAMessageArrives() throws Exception {
        bridge.browser("b1", "room1");
        assertEquals(200, client.send(client.message("sip:room1@127.0.0.1:" + port, "text/plain", "hi", "udp"), WAIT).getStatusCode());
        assertEquals(400, client.send(client.message("sip:room1@127.0.0.1:" + port, "application/json", "{\"type\":", "udp"), WAIT)
                .getStatusCode());

        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.opsPort() + "/metrics")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = r.body();
        assertEquals(2.0, value(text, "sigbridge_sip_requests_in_total{adapter=\"sip\"}"));
        assertEquals(1.0, value(text, "sigbridge_sip_delivered_total{adapter=\"sip\"}"));
        assertEquals(1.0, value(text, "sigbridge_sip_refused_total{adapter=\"sip\"}"));
        assertEquals(0.0, value(text, "sigbridge_sip_send_failures_total{adapter=\"sip\"}"));
        assertEquals(1.0, value(text, "sigbridge_sip_links{adapter=\"sip\"}"), "room1 is open on the SIP leg");
        assertEquals(1.0, value(text, "sigbridge_envelopes_in_total{adapter=\"sip\",route=\"*\"}"), "the hub's series are there too");
        assertEquals(1.0, value(text, "sigbridge_leg_up{adapter=\"sip\"}"));
    }

    @Test
    void theOpsPortAnswersHealthAndReadinessForABridgeWithoutAWebAdapter() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.opsPort() + "/healthz"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.opsPort() + "/readyz"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("{\"adapter\":\"sip\",\"status\":\"ready\",\"ready\":true"), ready.body());
        assertTrue(bridge.describe().stream().anyMatch(l -> l.startsWith("ops: /healthz, /readyz, /metrics and /admin/ at http://127.0.0.1:")),
                String.join("\n", bridge.describe()));
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
