package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP on the packaged jar: routes reloaded with a client connected; a bad file refused in one line. */
class ReloadIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String config(int port, String aRoute) {
        return """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: %d
                routes:
                  - match: "a-*"
                    to: %s
                  - match: "*"
                    to: local
                """.formatted(port, aRoute);
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void sighupReloadsRoutesWithoutDroppingAClientAndKeepsTheOldTableOnABadFile(@TempDir Path dir) throws Exception {
        int port = SigbridgeProcess.freeTcpPort();
        Path file = dir.resolve("sigbridge.yml");
        Files.writeString(file, config(port, "deny"));
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--config", file.toString())) {
            p.awaitLine(l -> l.contains("ready in"), Duration.ofSeconds(30));
            assertTrue(get(port, "/admin/explain?channel=a-1").contains("-> deny"));

            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/channels"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            received.add(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"open\":true,\"channel\":\"keep\"}", true).get(5, TimeUnit.SECONDS);

            Files.writeString(file, config(port, "local"));
            p.hangUp();
            p.awaitLine(l -> l.contains("routes reloaded from " + file), Duration.ofSeconds(20));
            assertTrue(get(port, "/admin/explain?channel=a-1").contains("-> local"), "the new table is in effect");

            ws.sendText("{\"checkPresence\":true,\"channel\":\"keep\"}", true).get(5, TimeUnit.SECONDS);
            assertEquals("{\"isChannelPresent\":true}", received.poll(10, TimeUnit.SECONDS), "the client was not dropped");

            Files.writeString(file, config(port, "nowhere"));
            p.hangUp();
            String refused = p.awaitLine(l -> l.contains("routes not reloaded"), Duration.ofSeconds(20));
            assertTrue(refused.contains(file + ":") && refused.contains("no adapter named 'nowhere'"), refused);
            assertTrue(get(port, "/admin/explain?channel=a-1").contains("-> local"), "the old table stays");
            assertFalse(closed.isDone(), "the client is still connected");
            ws.abort();

            p.terminate();
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)));
        }
    }
}
