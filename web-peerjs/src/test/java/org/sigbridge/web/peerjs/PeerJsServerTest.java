package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The PeerJS server on a real bridge, driven by raw WebSockets and HTTP exactly as the {@code peerjs} client speaks
 * (docs/dialects.md §8): admission frames, relay with {@code src} stamped, queue and EXPIRE, heartbeats, bad input.
 */
class PeerJsServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String OPEN = "{\"type\":\"OPEN\"}";

    static WsClient peer(TestBridge bridge, String id, String token) {
        return WsClient.connect(bridge.ws("/peerjs?key=peerjs&id=" + id + "&token=" + token + "&version=1.5.5"));
    }

    static WsClient opened(TestBridge bridge, String id) throws InterruptedException {
        WsClient c = peer(bridge, id, "t-" + id);
        c.expect(OPEN);
        return c;
    }

    @Test
    void everyRelayedTypeReachesItsDstWithSrcStampedByTheServer() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = opened(bridge, "alice");
             WsClient b = opened(bridge, "bob")) {
            a.send("{\"type\":\"OFFER\",\"src\":\"mallory\",\"dst\":\"bob\",\"extra\":1,"
                    + "\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"type\":\"data\",\"connectionId\":\"dc_1\"}}");
            b.expect("{\"type\":\"OFFER\",\"src\":\"alice\",\"dst\":\"bob\","
                    + "\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"type\":\"data\",\"connectionId\":\"dc_1\"}}");
            b.send("{\"type\":\"ANSWER\",\"dst\":\"alice\",\"payload\":{\"sdp\":{\"type\":\"answer\"},\"connectionId\":\"dc_1\"}}");
            a.expect("{\"type\":\"ANSWER\",\"src\":\"bob\",\"dst\":\"alice\",\"payload\":{\"sdp\":{\"type\":\"answer\"},\"connectionId\":\"dc_1\"}}");
            a.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\"}}}");
            b.expect("{\"type\":\"CANDIDATE\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\"}}}");
            b.send("{\"type\":\"EXPIRE\",\"dst\":\"alice\"}");
            a.expect("{\"type\":\"EXPIRE\",\"src\":\"bob\",\"dst\":\"alice\"}");
            b.send("{\"type\":\"LEAVE\",\"dst\":\"alice\",\"payload\":{\"connectionId\":\"dc_1\"}}");
            a.expect("{\"type\":\"LEAVE\",\"src\":\"bob\",\"dst\":\"alice\",\"payload\":{\"connectionId\":\"dc_1\"}}");
            a.send("{\"type\":\"HEARTBEAT\"}");
            a.expectNothing(Duration.ofMillis(300));
            b.expectNothing(Duration.ofMillis(1));
        }
    }

    @Test
    void aTakenIdIsRefusedAndTheSameTokenReplacesTheSocketWithoutOpen() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = opened(bridge, "alice");
             WsClient b = opened(bridge, "bob");
             WsClient thief = peer(bridge, "alice", "other")) {
            thief.expect("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}");
            assertEquals(1000, thief.closeCode(WsClient.WAIT));
            try (WsClient again = peer(bridge, "alice", "t-alice")) {
                assertEquals(1000, a.closeCode(WsClient.WAIT), "the earlier socket is replaced");
                b.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":{}}");
                again.expect("{\"type\":\"OFFER\",\"src\":\"bob\",\"dst\":\"alice\",\"payload\":{}}");
            }
        }
    }

    @Test
    void missingParametersAndAWrongKeyAreErrorsThenClose() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient noToken = WsClient.connect(bridge.ws("/peerjs?key=peerjs&id=x"));
             WsClient wrongKey = WsClient.connect(bridge.ws("/peerjs?key=nope&id=x&token=t"))) {
            noToken.expect("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"No id, token, or key supplied to websocket server\"}}");
            assertEquals(1000, noToken.closeCode(WsClient.WAIT));
            wrongKey.expect("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid key provided\"}}");
            assertEquals(1000, wrongKey.closeCode(WsClient.WAIT));
        }
    }

    @Test
    void theConcurrentLimitIsAnError() throws Exception {
        try (TestBridge bridge = TestBridge.start("    peerjs: {concurrent-limit: 1}\n");
             WsClient a = opened(bridge, "alice");
             WsClient b = peer(bridge, "bob", "t")) {
            b.expect("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Server has reached its concurrent user limit\"}}");
            assertEquals(1000, b.closeCode(WsClient.WAIT));
            assertTrue(a.isOpen());
        }
    }

    @Test
    void messagesToAPeerNotConnectedYetWaitAndAreDeliveredAfterOpen() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = opened(bridge, "alice");
             WsClient probe = opened(bridge, "probe")) {
            a.send("{\"type\":\"OFFER\",\"dst\":\"late\",\"payload\":{\"n\":1}}");
            a.send("{\"type\":\"CANDIDATE\",\"dst\":\"late\",\"payload\":{\"n\":2}}");
            a.send("{\"type\":\"LEAVE\",\"dst\":\"late\"}"); // LEAVE to an absent peer is dropped
            // One socket's frames are handled in order: once probe has this, every frame above was handled.
            a.send("{\"type\":\"OFFER\",\"dst\":\"probe\"}");
            probe.expect("{\"type\":\"OFFER\",\"src\":\"alice\",\"dst\":\"probe\"}");
            try (WsClient late = peer(bridge, "late", "t")) {
                late.expect(OPEN);
                late.expect("{\"type\":\"OFFER\",\"src\":\"alice\",\"dst\":\"late\",\"payload\":{\"n\":1}}");
                late.expect("{\"type\":\"CANDIDATE\",\"src\":\"alice\",\"dst\":\"late\",\"payload\":{\"n\":2}}");
                late.expectNothing(Duration.ofMillis(300));
            }
        }
    }

    @Test
    void aPeerThatNeverComesIsExpiredOncePerPair() throws Exception {
        try (TestBridge bridge = TestBridge.start("    peerjs: {expire-timeout: 300ms}\n");
             WsClient a = opened(bridge, "alice")) {
            a.send("{\"type\":\"OFFER\",\"dst\":\"ghost\",\"payload\":{}}");
            a.send("{\"type\":\"CANDIDATE\",\"dst\":\"ghost\",\"payload\":{}}");
            a.expect("{\"type\":\"EXPIRE\",\"src\":\"ghost\",\"dst\":\"alice\"}");
            a.expectNothing(Duration.ofMillis(600));
            try (WsClient ghost = opened(bridge, "ghost")) {
                ghost.expectNothing(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void aPeerWithoutHeartbeatsIsClosedAfterTheAliveTimeoutAndHeartbeatsKeepItOpen() throws Exception {
        try (TestBridge bridge = TestBridge.start("    peerjs: {alive-timeout: 600ms}\n");
             WsClient beating = opened(bridge, "beating")) {
            long start = System.nanoTime();
            WsClient silent = opened(bridge, "silent");
            while (!silent.isClosed() && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                beating.send("{\"type\":\"HEARTBEAT\"}");
                Thread.sleep(100); // the client's heartbeat interval, scaled down
            }
            assertEquals(1000, silent.closeCode(WsClient.WAIT));
            silent.close();
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(500).toNanos(), "closed before the alive timeout");
            for (int i = 0; i < 10; i++) {
                beating.send("{\"type\":\"HEARTBEAT\"}");
                Thread.sleep(100);
            }
            assertTrue(beating.isOpen(), "heartbeats keep a peer alive past the alive timeout");
            try (WsClient again = opened(bridge, "silent")) {
                assertTrue(again.isOpen(), "a closed peer's id is free again");
            }
        }
    }

    @Test
    void leaveWithoutDstFreesTheId() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = opened(bridge, "alice")) {
            a.send("{\"type\":\"LEAVE\"}");
            Poll.until("alice's id is free", WsClient.WAIT, Duration.ofMillis(50), () -> {
                try (WsClient other = peer(bridge, "alice", "other")) {
                    return other.next();
                }
            }, OPEN::equals);
        }
    }

    @Test
    void badInputIsIgnoredAndCountedAndTheSocketGoesOn() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 1024\n");
             WsClient a = opened(bridge, "alice");
             WsClient b = opened(bridge, "bob")) {
            long bad = bridge.web().stats().badFrames();
            long ignored = bridge.web().stats().ignoredFrames();
            a.send("{not json");
            a.send("[1,2]");
            a.send("{\"type\":\"OFFER\",\"dst\":42}");
            a.send("{\"type\":\"NONSENSE\",\"dst\":\"bob\"}");
            a.send("{\"type\":\"OFFER\",\"payload\":{}}");
            a.sendBinary(new byte[] {1, 2, 3});
            a.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"still here\"}");
            b.expect("{\"type\":\"OFFER\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":\"still here\"}");
            assertEquals(bad + 4, bridge.web().stats().badFrames());
            assertEquals(ignored + 2, bridge.web().stats().ignoredFrames());
            String metrics = get(bridge, "/metrics", null).body();
            assertTrue(metrics.contains("sigbridge_web_bad_frames_total{adapter=\"web\"} " + (bad + 4) + ".0"), metrics);
            assertTrue(metrics.contains("sigbridge_web_connections{adapter=\"web\",dialect=\"peerjs\"} 2.0"), metrics);
            b.expectNothing(Duration.ofMillis(100));
            a.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"" + "x".repeat(2000) + "\"}");
            assertEquals(1009, a.closeCode(WsClient.WAIT), "RFC 6455 §7.4.1 message too big");
            assertTrue(b.isOpen());
        }
    }

    @Test
    void theIdEndpointAnswersAFreshUuidWithCorsAndPeersNeedsDiscovery() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> id = get(bridge, "/peerjs/id?ts=17000000000000.123&version=1.5.5", "https://app.example.org");
            assertEquals(200, id.statusCode());
            assertTrue(id.body().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id.body());
            assertEquals("text/html; charset=utf-8", id.headers().firstValue("content-type").orElse(""));
            assertEquals("https://app.example.org", id.headers().firstValue("access-control-allow-origin").orElse(""));
            assertTrue(!id.body().equals(get(bridge, "/peerjs/id", null).body()), "each id is fresh");
            assertEquals(401, get(bridge, "/peerjs/peers", null).statusCode());
            assertEquals(404, get(bridge, "/other/id", null).statusCode());
        }
        try (TestBridge bridge = TestBridge.start("    peerjs: {path: /myapp, key: k1, allow-discovery: true}\n");
             WsClient a = WsClient.connect(bridge.ws("/myapp/peerjs?key=k1&id=alice&token=t"))) {
            a.expect(OPEN);
            assertEquals("[\"alice\"]", get(bridge, "/myapp/k1/peers", null).body());
            assertEquals(200, get(bridge, "/myapp/k1/id", null).statusCode());
            HttpResponse<String> banner = get(bridge, "/myapp/", null);
            assertEquals(200, banner.statusCode());
            assertTrue(banner.body().contains("\"name\":\"PeerJS Server\""), banner.body());
        }
    }

    @Test
    void peersAreEndpointsOfTheChannelPeerjsKeyAddressedByTheirId() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = opened(bridge, "alice");
             WsClient classic = WsClient.connect(bridge.ws("/ws/channels"))) {
            classic.send("{\"open\":true,\"channel\":\"peerjs/peerjs\"}");
            classic.expectPresent("peerjs/peerjs");
            a.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{}}");
            classic.expectNothing(Duration.ofMillis(300)); // addressed: not broadcast to the channel's other members
        }
    }

    @Test
    void framesOverTheRateLimitAreDroppedAndCountedThenTheSocketIsClosed() throws Exception {
        try (TestBridge bridge = TestBridge.start("    rate-limit: {messages-per-second: 1, burst: 2, close-after: 3}\n");
             WsClient a = opened(bridge, "alice");
             WsClient b = opened(bridge, "bob")) {
            long limited = bridge.web().stats().rateLimited();
            for (int i = 1; i <= 5; i++) {
                a.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":" + i + "}");
            }
            b.expect("{\"type\":\"CANDIDATE\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":1}");
            b.expect("{\"type\":\"CANDIDATE\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":2}");
            assertEquals(1008, a.closeCode(WsClient.WAIT), "RFC 6455 §7.4.1 policy violation");
            assertEquals(limited + 3, bridge.web().stats().rateLimited());
            b.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void verifiedIdentityLeavesThePeerJsServerOut() throws Exception {
        try (TestBridge bridge = TestBridge.start("    identity: {mode: verified, secret: \"" + "s".repeat(40) + "\"}\n")) {
            assertEquals(404, get(bridge, "/peerjs/id", null).statusCode());
        }
    }

    @Test
    void theDialectCanBeTurnedOff() throws Exception {
        try (TestBridge bridge = TestBridge.start("    peerjs: {enabled: false}\n")) {
            assertEquals(404, get(bridge, "/peerjs/id", null).statusCode());
        }
    }

    private static HttpResponse<String> get(TestBridge bridge, String path, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10)).GET();
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
