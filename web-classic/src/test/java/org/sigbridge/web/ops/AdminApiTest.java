package org.sigbridge.web.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.WebAdapter;

/** The admin API through a real HTTP client: channels, explain, routes, reload while clients are connected, access rules. */
class AdminApiTest {

    @TempDir
    Path dir;
    private SigBridge bridge;
    private WebAdapter web;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private static String config(String admin, String routes) {
        return """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  up:
                    type: recording
                  web:
                    type: web
                    port: 0
                """ + admin + "\nroutes:\n" + routes;
    }

    private static final String ROUTES_V1 = """
              - match: "up-*"
                to: up
                target: "{channel}@rooms.example.org"
              - match: "*"
                to: local
            """;

    private Path start(String admin, String routes) throws Exception {
        Path file = dir.resolve("sigbridge.yml");
        Files.writeString(file, config(admin, routes));
        bridge = SigBridge.create(SigBridge.load(file));
        bridge.start();
        web = (WebAdapter) bridge.adapter("web").orElseThrow();
        return file;
    }

    private URI http(String path) {
        return URI.create("http://127.0.0.1:" + web.port() + path);
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + web.port() + path);
    }

    @Test
    void listsChannelsWithRouteParticipantsPerLegAndCounters() throws Exception {
        start("", ROUTES_V1);
        RecordingBackend up = (RecordingBackend) bridge.adapter("up").orElseThrow();
        try (WsClient a = WsClient.connect(ws("/ws/envelope?channel=up-1"))) {
            a.expectPresent("up-1");
            up.remoteJoined("up-1", "carol");
            a.send("{\"sender\":\"alice\",\"channel\":\"up-1\",\"message\":\"hi\"}");
            up.upstream().next();

            HttpResponse<String> r = Http.get(http("/admin/channels"));
            assertEquals(200, r.statusCode());
            String body = r.body();
            assertTrue(body.startsWith("{\"channels\":[{\"name\":\"up-1\",\"route\":{\"rule\":0,\"pattern\":\"up-*\""), body);
            // Endpoint ids are node-qualified (<node id>:<adapter>-<n>) so they stay unique across instances.
            assertTrue(body.matches("(?s).*\"participants\":\\{\"up\":\\[\"carol\"],\"web\":\\[\"[a-z0-9]+:web-1\"]}.*"), body);
            assertTrue(body.contains("\"envelopesIn\":1,\"envelopesOut\":1"), body);
        }
    }

    @Test
    void explainsWhichRuleWhichTargetAndWhyWithoutCountingAHit() throws Exception {
        start("", ROUTES_V1);
        HttpResponse<String> r = Http.get(http("/admin/explain?channel=up-9"));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"explain\":\"channel 'up-9' matches rule #0 (up-*, "), r.body());
        assertTrue(r.body().contains("\"address\":\"up-9@rooms.example.org\",\"open\":false"), r.body());
        assertEquals(0, bridge.ops().routing().rules().get(0).hits().sum());

        assertEquals(400, Http.get(http("/admin/explain")).statusCode());
        assertTrue(Http.get(http("/admin/explain?channel=other")).body().contains("matches rule #1"));
    }

    @Test
    void reloadsRoutesWhileClientsStayConnectedOpenChannelsKeepTheirLinkAndHitsCountOnTheNewTable() throws Exception {
        Path file = start("", ROUTES_V1);
        RecordingBackend up = (RecordingBackend) bridge.adapter("up").orElseThrow();
        try (WsClient a = WsClient.connect(ws("/ws/envelope?channel=up-1"));
             WsClient b = WsClient.connect(ws("/ws/envelope?channel=up-1"))) {
            b.expectPresent("up-1");
            assertEquals(1, bridge.ops().routing().rules().get(0).hits().sum());
            assertEquals("up-1", up.opened().next());

            // up-* now stays local, and a new rule sends new-* upstream.
            Files.writeString(file, config("", """
                      - match: "new-*"
                        to: up
                      - match: "*"
                        to: local
                    """));
            HttpResponse<String> r = Http.post(http("/admin/reload"));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"reloaded\":true") && r.body().contains("new-*"), r.body());

            a.send("{\"sender\":\"a\",\"channel\":\"up-1\",\"message\":1}");
            assertTrue(b.next().contains("\"message\":1"), "the connected clients still talk");
            assertEquals("up-1", up.upstream().next().channel(), "the open channel keeps its upstream link");
            try (WsClient c = WsClient.connect(ws("/ws/envelope?channel=new-1"))) {
                c.expectPresent("new-1");
                assertEquals("new-1", up.opened().next(), "a new channel takes the new table");
            }
            String routes = Http.get(http("/admin/routes")).body();
            assertTrue(routes.startsWith("{\"rules\":[{\"index\":0,\"pattern\":\"new-*\",\"target\":\"up\",\"source\":\""), routes);
            assertTrue(routes.contains("\"hits\":1},{\"index\":1,\"pattern\":\"*\""), routes);
            assertFalse(a.isClosed() || b.isClosed());
        }
    }

    @Test
    void aBadFileIsRefusedWithItsOneLineProblemAndTheOldTableStays() throws Exception {
        Path file = start("", ROUTES_V1);
        Files.writeString(file, config("", """
                  - match: "x-*"
                    to: nowhere
                """));
        HttpResponse<String> r = Http.post(http("/admin/reload"));
        assertEquals(422, r.statusCode());
        assertTrue(r.body().contains("\"code\":\"config_refused\""), r.body());
        assertTrue(r.body().contains(file + ":") && r.body().contains("routes[0].to: no adapter named 'nowhere'"), r.body());
        assertEquals("up-*", bridge.ops().routing().rules().get(0).pattern().toString());
    }

    @Test
    void withATokenTheAdminApiNeedsTheBearerAndSaysSo() throws Exception {
        start("""
                    admin:
                      token: 0123456789abcdef0123
                """, ROUTES_V1);
        HttpResponse<String> none = Http.get(http("/admin/routes"));
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"sigbridge-admin\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, Http.get(http("/admin/routes"), "Authorization", "Bearer wrong").statusCode());
        assertEquals(200, Http.get(http("/admin/routes"), "Authorization", "Bearer 0123456789abcdef0123").statusCode());
        assertEquals(200, Http.get(http("/healthz")).statusCode(), "health needs no token");
    }

    @Test
    void aSeparateAdminPortServesTheAdminApiAndTheWebPortNoLonger() throws Exception {
        start("""
                    admin:
                      port: 0
                """, ROUTES_V1);
        URI admin = URI.create("http://127.0.0.1:" + web.adminPort() + "/admin/routes");
        assertEquals(200, Http.get(admin).statusCode());
        assertEquals(404, Http.get(http("/admin/routes")).statusCode());
        assertEquals(200, Http.get(URI.create("http://127.0.0.1:" + web.adminPort() + "/metrics")).statusCode());
        assertEquals(404, Http.get(URI.create("http://127.0.0.1:" + web.adminPort() + "/sigbridge.js")).statusCode());
    }

    @Test
    void wrongMethodsAndUnknownPathsAreAnsweredInJson() throws Exception {
        start("", ROUTES_V1);
        HttpResponse<String> get = Http.get(http("/admin/reload"));
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertEquals(405, Http.post(http("/admin/channels")).statusCode());
        HttpResponse<String> unknown = Http.get(http("/admin/nope"));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("\"code\":\"not_found\""));
    }

    @Test
    void aDisabledAdminApiIsNotThere() throws Exception {
        start("""
                    admin:
                      enabled: false
                """, ROUTES_V1);
        assertEquals(404, Http.get(http("/admin/routes")).statusCode());
    }
}
