package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.peers.FreePorts;

/** The rate limit on incoming requests: 503 with Retry-After (RFC 3261 §21.5.4). */
class SipOverloadTest {

    @Test
    void answers503WithRetryAfterAboveTheInboundRate() throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(SipInboundResponsesTest.config(1), Map.of("PORT", Integer.toString(port)));
             RawSipClient client = new RawSipClient()) {
            bridge.browser("b1", "room1");
            String uri = "sip:room1@127.0.0.1:" + port;
            assertEquals(200, client.send(client.message(uri, "text/plain", "first", "udp"), Duration.ofSeconds(5)).getStatusCode());
            Response second = client.send(client.message(uri, "text/plain", "second", "udp"), Duration.ofSeconds(5));
            assertEquals(503, second.getStatusCode());
            int retryAfter = Integer.parseInt(SipInboundResponsesTest.header(second, "Retry-After").split("\\s")[0]);
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        }
    }
}
