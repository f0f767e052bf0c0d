package org.sigbridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;

/**
 * The ops endpoints on a port of their own ({@code bridge.ops}) for a bridge with no web adapter: a recording back
 * end, routes from a file, a bearer token for {@code /admin/*}. Real HTTP on loopback.
 */
class OpsServerTest {

    private static final String TOKEN = "0123456789abcdef0123";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newHttpClient();
    private SigBridge bridge;
    private Path file;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        file = dir.resolve("bridge.yml");
        Files.writeString(file, yaml("up-*"));
        bridge = SigBridge.create(SigBridge.load(file));
        bridge.start();
    }

    private static String yaml(String pattern) {
        return """
                bridge:
                  ops:
                    port: 0
                    token: %s
                adapters:
                  up: {type: recording}
                routes:
                  - {match: "%s", to: up, target: "{channel}"}
                """.formatted(TOKEN, pattern);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.opsPort() + path)).timeout(WAIT);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.opsPort() + path)).timeout(WAIT)
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessFollowTheLegWithoutAWebAdapter() throws Exception {
        RecordingBackend up = (RecordingBackend) bridge.adapter("up").orElseThrow();
        assertEquals("ok\n", get("/healthz").body());
        HttpResponse<String> starting = get("/readyz");
        assertEquals(503, starting.statusCode());
        assertEquals("{\"ready\":false,\"draining\":false,\"notReady\":[\"up: starting (no state reported yet)\"],"
                + "\"legs\":[{\"adapter\":\"up\",\"status\":\"starting\",\"ready\":false,\"detail\":\"no state reported yet\"}]}\n",
                starting.body());

        up.context().legState(new LegState("up", LegState.Status.READY, "ok"));

        assertEquals(200, get("/readyz").statusCode());
        assertTrue(get("/metrics").body().contains("sigbridge_leg_up{adapter=\"up\"} 1.0"));
    }

    @Test
    void dropsAreExportedAtZeroBeforeTheFirstDrop() throws Exception {
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("sigbridge_drops_total{adapter=\"up\",reason=\"upstream_unavailable\"} 0.0"), metrics);
        assertTrue(metrics.contains("sigbridge_drops_total{adapter=\"hub\",reason=\"no_such_recipient\"} 0.0"), metrics);
    }

    @Test
    void theAdminApiNeedsTheTokenAndAnswersChannelsRoutesAndExplainInJson() throws Exception {
        RecordingEndpoint user = new RecordingEndpoint("u1");
        bridge.hub().subscribe(user, "up-1");

        HttpResponse<String> none = get("/admin/routes");
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"sigbridge-admin\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(none.body().startsWith("{\"error\":{\"code\":\"unauthorized\",\"detail\":"), none.body());

        HttpResponse<String> routes = get("/admin/routes", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, routes.statusCode());
        assertEquals("{\"rules\":[{\"index\":0,\"pattern\":\"up-*\",\"target\":\"up {channel}\",\"source\":\"" + file + ":8\",\"hits\":1}],"
                + "\"default\":\"local\"}\n", routes.body());
        HttpResponse<String> channels = get("/admin/channels", "Authorization", "Bearer " + TOKEN);
        assertTrue(channels.body().startsWith("{\"channels\":[{\"name\":\"up-1\",\"route\":{\"rule\":0,\"pattern\":\"up-*\","), channels.body());
        assertTrue(channels.body().contains("\"participants\":{\"web\":[\"u1\"]},\"envelopesIn\":0,\"envelopesOut\":0,\"openedAt\":\""),
                channels.body());
        HttpResponse<String> explain = get("/admin/explain?channel=other", "Authorization", "Bearer " + TOKEN);
        assertTrue(explain.body().startsWith("{\"channel\":\"other\",\"explain\":"), explain.body());
        assertTrue(explain.body().endsWith(",\"rule\":null,\"pattern\":null,\"source\":null,\"target\":\"local\",\"address\":null,\"open\":false}\n"),
                explain.body());
    }

    @Test
    void reloadReadsTheFileAgainAndDrainIsNotServedHere() throws Exception {
        Files.writeString(file, yaml("other-*"));

        HttpResponse<String> reload = post("/admin/reload");

        assertEquals(200, reload.statusCode(), reload.body());
        assertEquals("{\"reloaded\":true,\"source\":\"" + file + "\",\"routes\":[\"other-* -> up {channel}\",\"(default) -> local\"]}\n",
                reload.body());
        assertEquals("other-*", bridge.ops().routing().rules().get(0).pattern().toString());
        HttpResponse<String> drain = post("/admin/drain");
        assertEquals(404, drain.statusCode());
        assertTrue(drain.body().contains("\"code\":\"not_found\""), drain.body());
        assertEquals(404, get("/sigbridge.js").statusCode(), "the ops port serves the ops endpoints only");
    }
}
