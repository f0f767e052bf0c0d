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
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.web.WebAdapter;

/** /readyz follows a real XMPP leg: ready with Prosody up, 503 naming the leg while it is stopped, ready again after. */
class ProsodyReadinessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readinessFlipsWhenProsodyStopsAndStarts() throws Exception {
        try (ProsodyServer prosody = ProsodyServer.builder().users("alice").start()) {
            String yaml = """
                    bridge:
                      shutdown-grace: 1s
                    adapters:
                      xmpp:
                        type: xmpp
                        host: 127.0.0.1
                        port: %d
                        domain: %s
                        username: alice
                        password: ${XMPP_PASSWORD}
                        tls: disabled
                        muc-service: %s
                        reconnect-backoff-base: 100ms
                        reconnect-backoff-cap: 1s
                      web:
                        type: web
                        port: 0
                    routes:
                      - match: "*"
                        to: xmpp
                        target: "{channel}@%s"
                    """.formatted(prosody.port(), prosody.domain(), prosody.mucService(), prosody.mucService());
            try (BridgeUnderTest bridge = BridgeUnderTest.fromYaml(yaml, Map.of("XMPP_PASSWORD", ProsodyServer.PASSWORD))) {
                URI readyz = URI.create("http://127.0.0.1:" + bridge.adapter("web", WebAdapter.class).port() + "/readyz");

                awaitReadyz(readyz, r -> r.statusCode() == 200, "ready with Prosody up");
                prosody.stop();
                HttpResponse<String> down = awaitReadyz(readyz, r -> r.statusCode() == 503, "not ready with Prosody stopped");
                assertTrue(down.body().contains("\"adapter\":\"xmpp\"") && down.body().contains("\"ready\":false"), down.body());
                assertTrue(down.body().contains("\"notReady\":[\"xmpp: "), down.body());
                prosody.start();
                awaitReadyz(readyz, r -> r.statusCode() == 200, "ready again after Prosody restarted");
            }
        }
    }

    /** Polls /readyz (an HTTP status has no event to wait on) until {@code condition}, for at most 30 s. */
    private static HttpResponse<String> awaitReadyz(URI uri, Predicate<HttpResponse<String>> condition, String what) throws Exception {
        return Poll.until(what, Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()),
                condition);
    }
}
