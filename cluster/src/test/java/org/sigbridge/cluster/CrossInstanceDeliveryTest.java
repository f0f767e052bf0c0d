package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Three bridge instances on one real Redis, with channels-dialect clients (docs/dialects.md §5) spread over them:
 * every envelope reaches every other member exactly once, in per-sender order, and never comes back to its sender.
 */
class CrossInstanceDeliveryTest {

    private static final int PER_SENDER = 300;

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void everyEnvelopeReachesEveryOtherInstanceExactlyOnceInSenderOrderWithoutEcho() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            TestBridge c = cluster.start("c", redis.server());
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"));
                 WsClient cc = WsClient.connect(c.ws("/"))) {
                for (WsClient client : List.of(ca, cb, cc)) {
                    client.send("{\"open\":true,\"channel\":\"room\"}");
                }
                Instances.awaitRoster("room", 3, a, b, c);
                for (int i = 0; i < PER_SENDER; i++) {
                    ca.send("{\"channel\":\"room\",\"data\":\"a-" + i + "\"}");
                    cb.send("{\"channel\":\"room\",\"data\":\"b-" + i + "\"}");
                    cc.send("{\"channel\":\"room\",\"data\":\"c-" + i + "\"}");
                }
                assertLedger(ca, "a", List.of("b", "c"));
                assertLedger(cb, "b", List.of("a", "c"));
                assertLedger(cc, "c", List.of("a", "b"));
            }
        }
    }

    @Test
    void aChannelOpenOnlyOnAnotherInstanceIsPresentHereAndAPublishReachesIt() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"only-on-a\"}");
                Instances.awaitRoster("only-on-a", 1, a);
                org.sigbridge.testkit.Poll.until("b answers present", Duration.ofSeconds(10), Duration.ofMillis(50),
                        () -> cb.present("only-on-a", WsClient.WAIT), p -> p);
                cb.send("{\"channel\":\"only-on-a\",\"data\":\"hello from b\"}"); // b never subscribed
                ca.expect("\"hello from b\"");
            }
        }
    }

    /** Each receiver got every other sender's envelopes once, in order, and nothing of its own. */
    private static void assertLedger(WsClient client, String self, List<String> senders) throws Exception {
        Map<String, List<Integer>> got = new java.util.TreeMap<>();
        senders.forEach(s -> got.put(s, new ArrayList<>()));
        int expected = PER_SENDER * senders.size();
        for (int n = 0; n < expected; n++) {
            String frame = client.next();
            String text = frame.substring(1, frame.length() - 1);
            String sender = text.substring(0, text.indexOf('-'));
            if (!got.containsKey(sender)) {
                throw new AssertionError(self + " received " + frame + " (its own, or unknown) after " + n + " frames");
            }
            got.get(sender).add(Integer.parseInt(text.substring(text.indexOf('-') + 1)));
        }
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < PER_SENDER; i++) {
            inOrder.add(i);
        }
        for (String s : senders) {
            assertEquals(inOrder, got.get(s), self + ": envelopes from " + s + " once each, in order");
        }
        client.expectNothing(Duration.ofMillis(300));
    }
}
