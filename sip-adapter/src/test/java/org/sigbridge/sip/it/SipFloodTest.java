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
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.HealthProbe;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * A SIP MESSAGE flood (docs/reliability.md, "Load limits"): above {@code max-inbound-per-second} requests are answered
 * 503 with Retry-After (RFC 3261 §21.5.4) and counted ({@code sigbridge_sip_overloaded_total}), while {@code /healthz} on
 * the ops port keeps answering ({@link HealthProbe}; latencies printed, not asserted). Each request waits for its
 * answer, so the flood is as fast as one client transaction after another.
 */
class SipFloodTest {

    private static final int PROBES = 20;

    @Test
    void aMessageFloodIsAnswered503WithRetryAfterWhileHealthAnswers() throws Exception {
        int port = FreePorts.tcpAndUdp();
        String config = SipInboundResponsesTest.config(10).replace("adapters:", "bridge:\n  ops:\n    port: 0\nadapters:");
        try (BridgeUnderTest bridge = BridgeUnderTest.start(config, Map.of("PORT", Integer.toString(port)));
             RawSipClient client = new RawSipClient()) {
            bridge.browser("b1", "room1");
            String uri = "sip:room1@127.0.0.1:" + port;
            int ok = 0;
            int overloaded = 0;
            Response last = null;
            try (HealthProbe probe = HealthProbe.start(URI.create("http://127.0.0.1:" + bridge.opsPort() + "/healthz"))) {
                int from = probe.answered();
                for (int i = 0; probe.answered() < from + PROBES || overloaded == 0; i++) {
                    Response r = client.send(client.message(uri, "text/plain", "flood " + i, "udp"), Duration.ofSeconds(5));
                    if (r.getStatusCode() == 200) {
                        ok++;
                    } else {
                        assertEquals(503, r.getStatusCode());
                        overloaded++;
                        last = r;
                    }
                }
                HealthProbe.Summary s = probe.summarySince(from);
                System.out.println("| SIP MESSAGE flood over UDP, max-inbound-per-second 10 (" + ok + " answered 200, " + overloaded
                        + " 503) | " + s + " |");
                assertTrue(s.ok() >= PROBES, "/healthz did not answer during the flood: " + s);
            }
            int retryAfter = Integer.parseInt(SipInboundResponsesTest.header(last, "Retry-After").split("\\s")[0]);
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bridge.opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^sigbridge_sip_overloaded_total\\{adapter=\"sip\"\\} (\\S+)$").matcher(metrics);
            assertTrue(m.find(), "no sigbridge_sip_overloaded_total");
            assertEquals(overloaded, (int) Double.parseDouble(m.group(1)), "the 503s are counted");
        }
    }
}
