package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Two instances behind a real HAProxy (docs/cluster.md §1): clients that all connect to the balancer are spread over
 * both instances and still make one channel, each envelope reaching every other client once.
 */
class BehindHaproxyTest {

    /** The config operators run (docs/cluster.md §1), used as shipped. */
    private static final Path SHIPPED_CONFIG = Path.of("../dist/haproxy/haproxy.cfg");

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void clientsSpreadOverTwoInstancesByTheBalancerShareOneChannel() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (HaproxyServer haproxy = HaproxyServer.startShipped(SHIPPED_CONFIG, a.port(), b.port())) {
                awaitBothServersUp(haproxy);
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

    /**
     * The shipped config health-checks {@code /readyz} every 2 s and starts each server as up after its first passing
     * check: wait until a request reaches each instance (the SBNODE cookie names the one that answered).
     */
    private static void awaitBothServersUp(HaproxyServer haproxy) throws Exception {
        assertTrue(Files.isRegularFile(SHIPPED_CONFIG), "the shipped HAProxy config " + SHIPPED_CONFIG.toAbsolutePath() + " is missing");
        HttpClient http = HttpClient.newHttpClient();
        URI healthz = URI.create("http://127.0.0.1:" + haproxy.port() + "/healthz");
        Set<String> seen = new HashSet<>();
        Poll.until("both instances to answer through HAProxy", Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.discarding());
            r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("SBNODE="))
                    .forEach(c -> seen.add(c.substring("SBNODE=".length(), c.indexOf(';'))));
            return Set.copyOf(seen);
        }, s -> s.containsAll(Set.of("a", "b")));
    }

    /** Wait for stray frames once, on the first client; the others were given the same time meanwhile. */
    private static long j0(int i) {
        return i == 0 ? 300 : 1;
    }
}
