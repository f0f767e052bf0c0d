package org.sigbridge.web.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/** POST /admin/drain: no new sockets, open ones keep talking until they leave or the deadline closes them with 1001. */
class DrainTest {

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void drainRefusesNewSocketsKeepsOpenOnesAndTurnsReadinessOff() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/ws/envelope?channel=d"));
             WsClient b = WsClient.connect(bridge.ws("/ws/envelope?channel=d"))) {
            b.expectPresent("d");
            HttpResponse<String> r = Http.post(bridge.http("/admin/drain?deadline=1m"));
            assertEquals(202, r.statusCode());
            assertTrue(r.body().startsWith("{\"draining\":true,\"since\":") && r.body().contains("\"connections\":2"), r.body());

            CompletionException refused = assertThrows(CompletionException.class, () -> WsClient.connect(bridge.ws("/ws/envelope")));
            assertEquals(503, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
            HttpResponse<String> ready = Http.get(bridge.http("/readyz"));
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"draining\":true"), ready.body());
            assertTrue(Http.get(bridge.http("/metrics")).body().contains("sigbridge_web_draining{adapter=\"web\"} 1"));

            a.send("{\"sender\":\"a\",\"channel\":\"d\",\"message\":\"still here\"}");
            assertTrue(b.next().contains("still here"));
            assertFalse(a.isClosed());
        }
        // The clients left on their own: the status says so.
        Poll.until("drain status showing no connections", Duration.ofSeconds(5), Duration.ofMillis(50),
                () -> Http.get(bridge.http("/admin/drain")).body(), status -> status.contains("\"connections\":0"));
    }

    @Test
    void theDeadlineClosesWhatIsLeftWith1001() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/ws/envelope?channel=d"))) {
            a.expectPresent("d");
            assertEquals(202, Http.post(bridge.http("/admin/drain?deadline=200ms")).statusCode());
            assertEquals(1001, a.closeCode(WsClient.WAIT));
        }
    }

    @Test
    void aBadDeadlineIsRefused() throws Exception {
        HttpResponse<String> r = Http.post(bridge.http("/admin/drain?deadline=soon"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
        assertEquals("{\"draining\":false,\"connections\":0}\n", Http.get(bridge.http("/admin/drain")).body());
    }
}
