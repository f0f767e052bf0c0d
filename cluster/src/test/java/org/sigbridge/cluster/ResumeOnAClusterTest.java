package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Resume on a cluster (docs/cluster.md §2, docs/design.md §3.8): a client that comes back to the instance it left gets
 * what it missed from every instance, once, in order, from that instance's history; one that comes back to another
 * instance gets it from the channel's cluster log, once each, before the answer and before anything newer. Clients speak the channels dialect with the positions
 * extension (docs/dialects.md §5.4), as {@code sigbridge.js} does.
 */
class ResumeOnAClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void backOnItsInstanceOrOnAnotherItGetsWhatItMissedFromEveryInstance() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            String session;
            String position;
            try (WsClient sa = WsClient.connect(a.ws("/ws/channels"));
                 WsClient watcher = WsClient.connect(a.ws("/ws/channels"));
                 WsClient sb = WsClient.connect(b.ws("/ws/channels"))) {
                try (WsClient r = WsClient.connect(a.ws("/ws/channels"))) {
                    r.send("{\"positions\":true}");
                    session = r.next(f -> f.containsKey("session"), WAIT).get("session").asText();
                    r.send("{\"open\":true,\"channel\":\"room\"}");
                    assertTrue(r.next(f -> f.containsKey("joined"), WAIT).get("joined").json().contains("\"position\":\""));
                    for (WsClient c : new WsClient[] {sa, watcher, sb}) {
                        c.send("{\"open\":true,\"channel\":\"room\"}");
                    }
                    Instances.awaitRoster("room", 4, a, b);
                    sb.send("{\"channel\":\"room\",\"data\":\"b1\"}");
                    Map<String, JsonValue> first = r.next(f -> f.containsKey("position"), WAIT);
                    assertEquals("\"b1\"", first.get("data").json(), "an envelope from instance b, positioned on a");
                    position = first.get("position").asText();
                    watcher.expect("\"b1\"");
                }
                Instances.awaitRoster("room", 3, a, b);
                sa.send("{\"channel\":\"room\",\"data\":\"a2\"}");
                sb.send("{\"channel\":\"room\",\"data\":\"b3\"}");
                String one = watcher.next();
                String two = watcher.next(); // both are in a's history now, in this order
                assertEquals(java.util.Set.of("\"a2\"", "\"b3\""), java.util.Set.of(one, two));

                try (WsClient back = WsClient.connect(a.ws("/ws/channels"))) {
                    back.send("{\"positions\":true}");
                    back.send("{\"resume\":{\"channel\":\"room\",\"position\":\"" + position + "\",\"sessions\":[\"" + session + "\"]}}");
                    back.next(f -> f.containsKey("session"), WAIT);
                    assertEquals(one, back.next(f -> f.containsKey("position"), WAIT).get("data").json());
                    assertEquals(two, back.next(f -> f.containsKey("position"), WAIT).get("data").json());
                    assertEquals("true", back.next(f -> f.containsKey("resumed"), WAIT).get("resumed").json()
                            .replaceAll(".*\"recovered\":(true|false).*", "$1"), "recovered on the instance it left");
                }
                try (WsClient elsewhere = WsClient.connect(b.ws("/ws/channels"))) {
                    elsewhere.send("{\"positions\":true}");
                    elsewhere.send("{\"resume\":{\"channel\":\"room\",\"position\":\"" + position + "\",\"sessions\":[\"" + session + "\"]}}");
                    elsewhere.next(f -> f.containsKey("session"), WAIT);
                    // From the cluster log, in its order (which need not be the order a handed them out in).
                    // A resume naming a session of this cluster is answered a new session naming its participant
                    // (docs/cluster.md §4) before the replay.
                    java.util.function.Predicate<Map<String, JsonValue>> notSession = f -> !f.containsKey("session");
                    String first = elsewhere.next(notSession, WAIT).get("data").json();
                    String second = elsewhere.next(notSession, WAIT).get("data").json();
                    assertEquals(java.util.Set.of(one, two), java.util.Set.of(first, second), "what it missed, once each");
                    Map<String, JsonValue> answer = elsewhere.next(notSession, WAIT);
                    assertTrue(answer.containsKey("resumed"), "the answer follows the replay: " + answer);
                    assertTrue(answer.get("resumed").json().contains("\"recovered\":true"), answer.toString());
                    sb.send("{\"channel\":\"room\",\"data\":\"b4\"}");
                    assertEquals("\"b4\"", elsewhere.next(f -> f.containsKey("position"), WAIT).get("data").json(),
                            "then live, nothing twice");
                }
            }
        }
    }
}
