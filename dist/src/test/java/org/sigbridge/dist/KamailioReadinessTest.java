package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.web.WebAdapter;

/**
 * /readyz follows a real SIP leg: ready once registered at Kamailio, 503 naming the sip leg and why (its OPTIONS
 * keepalive got no answer) while Kamailio is stopped, ready again once Kamailio answers and the bridge has
 * registered again.
 */
class KamailioReadinessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    @Test
    void readinessFlipsWhenKamailioStopsAndStarts() throws Exception {
        KamailioServer server = kamailio.server();
        String yaml = """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${SIP_PORT}
                    domain: %s
                    proxy: 127.0.0.1:${KAMAILIO_PORT}
                    username: bridge
                    keepalive-interval: 300ms
                    request-timeout: 1s
                  web:
                    type: web
                    port: 0
                routes:
                  - match: "*"
                    to: sip
                    target: "sip:{channel}@%s"
                """.formatted(server.domain(), server.domain());
        var env = Map.of("SIP_PORT", Integer.toString(FreePorts.tcpAndUdp()), "KAMAILIO_PORT", Integer.toString(server.port()));
        try (BridgeUnderTest bridge = BridgeUnderTest.fromYaml(yaml, env)) {
            URI readyz = URI.create("http://127.0.0.1:" + bridge.adapter("web", WebAdapter.class).port() + "/readyz");

            HttpResponse<String> up = awaitReadyz(readyz, r -> r.statusCode() == 200, "ready with Kamailio up");
            assertTrue(up.body().contains("\"adapter\":\"sip\",\"status\":\"ready\",\"ready\":true"), up.body());

            server.stop();
            HttpResponse<String> down = awaitReadyz(readyz, r -> r.statusCode() == 503, "not ready with Kamailio stopped");
            assertTrue(down.body().contains("\"adapter\":\"sip\",\"status\":\"down\",\"ready\":false"), down.body());
            assertTrue(down.body().contains("\"notReady\":[\"sip: down (proxy 127.0.0.1:" + server.port() + " not answering OPTIONS"),
                    down.body());

            server.start();
            HttpResponse<String> again = awaitReadyz(readyz, r -> r.statusCode() == 200, "ready again after Kamailio restarted");
            assertTrue(again.body().contains("\"notReady\":[]") && again.body().contains("registered"), again.body());
        }
    }

    /** Polls /readyz (an HTTP status has no event to wait on) until {@code condition}, for at most 30 s. */
    private static HttpResponse<String> awaitReadyz(URI uri, Predicate<HttpResponse<String>> condition, String what) throws Exception {
        return Poll.until(what, Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()),
                condition);
    }
}
