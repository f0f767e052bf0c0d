package org.sigbridge.cluster;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Addressed delivery across instances (docs/cluster.md §5): PeerJS peers (docs/dialects.md §8) on
 * two instances relay OFFER, ANSWER and CANDIDATE to each other by {@code dst}, each once and to its peer only.
 */
class CrossInstanceAddressedTest {

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    private static WsClient peer(TestBridge bridge, String id) throws InterruptedException {
        WsClient c = WsClient.connect(bridge.ws("/peerjs?key=peerjs&id=" + id + "&token=t-" + id + "&version=1.5.5"));
        c.expect("{\"type\":\"OPEN\"}");
        return c;
    }

    @Test
    void aPeerOnAnotherInstanceGetsWhatIsAddressedToItAndNobodyElseDoes() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (WsClient alice = peer(a, "alice"); WsClient carol = peer(a, "carol"); WsClient bob = peer(b, "bob")) {
                Instances.awaitRoster("peerjs/peerjs", 3, a, b);
                alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"connectionId\":\"dc_1\"}}");
                bob.expect("{\"type\":\"OFFER\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"connectionId\":\"dc_1\"}}");
                bob.send("{\"type\":\"ANSWER\",\"dst\":\"alice\",\"payload\":{\"sdp\":{\"type\":\"answer\"},\"connectionId\":\"dc_1\"}}");
                alice.expect("{\"type\":\"ANSWER\",\"src\":\"bob\",\"dst\":\"alice\",\"payload\":{\"sdp\":{\"type\":\"answer\"},\"connectionId\":\"dc_1\"}}");
                for (int i = 0; i < 50; i++) {
                    alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:" + i + "\"}}}");
                }
                for (int i = 0; i < 50; i++) {
                    bob.expect("{\"type\":\"CANDIDATE\",\"src\":\"alice\",\"dst\":\"bob\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:" + i + "\"}}}");
                }
                bob.expectNothing(Duration.ofMillis(300));
                carol.expectNothing(Duration.ofMillis(1));
                alice.expectNothing(Duration.ofMillis(1));
            }
        }
    }
}
