package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Two instances behind a real HAProxy (docs/cluster.md §1): clients that all connect to the balancer are spread over
 * both instances and still make one channel, each envelope reaching every other client once.
 */
class BehindHaproxyTest {

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void clientsSpreadOverTwoInstancesByTheBalancerShareOneChannel() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (HaproxyServer haproxy = HaproxyServer.start(List.of(a.port(), b.port()))) {
                URI front = URI.create("ws://127.0.0.1:" + haproxy.port() + "/");
                List<WsClient> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 4; i++) {
                        WsClient c = WsClient.connect(front);
                        clients.add(c);
                        c.send("{\"open\":true,\"channel\":\"lobby\"}");
                    }
                    Instances.awaitRoster("lobby", 4, a, b);
                    assertTrue(a.bridge().hub().ops().endpoints().size() >= 1 && b.bridge().hub().ops().endpoints().size() >= 1,
                            "round robin put clients on both instances");
                    for (int i = 0; i < clients.size(); i++) {
                        clients.get(i).send("{\"channel\":\"lobby\",\"data\":\"from-" + i + "\"}");
                    }
                    for (int i = 0; i < clients.size(); i++) {
                        List<String> got = new ArrayList<>();
                        for (int n = 0; n < clients.size() - 1; n++) {
                            got.add(clients.get(i).next());
                        }
                        for (int j = 0; j < clients.size(); j++) {
                            String expected = "\"from-" + j + "\"";
                            assertTrue(j == i ? !got.contains(expected) : got.contains(expected), "client " + i + " got " + got);
                        }
                        clients.get(i).expectNothing(Duration.ofMillis(j0(i)));
                    }
                } finally {
                    clients.forEach(WsClient::close);
                }
            }
        }
    }

    /** Wait for stray frames once, on the first client; the others were given the same time meanwhile. */
    private static long j0(int i) {
        return i == 0 ? 300 : 1;
    }
}
