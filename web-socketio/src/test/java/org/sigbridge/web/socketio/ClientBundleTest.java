package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.sigbridge.web.TestBridge;

/**
 * {@code /socket.io/socket.io.js}: the socket.io-client bundle the build put in the jar (npm/bundle.sh), byte for
 * byte the npm package's {@code dist} file; and, for a build without it, 404 with the reason.
 */
class ClientBundleTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theBundleOfThePinnedClientIsServedUnmodified() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<byte[]> full = HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/socket.io.js")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, full.statusCode(), "built without npm? " + new String(full.body()));
            assertEquals("application/javascript; charset=utf-8", full.headers().firstValue("Content-Type").orElse(""));
            byte[] npm = Files.readAllBytes(NodeClient.DIR.resolve("node_modules/socket.io-client/dist/socket.io.js"));
            assertTrue(java.util.Arrays.equals(npm, full.body()), "the npm dist file, unmodified");
            String min = HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/socket.io.min.js")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(min.startsWith("/*!\n * Socket.IO v4.8.4"), min.substring(0, 40));
            String etag = full.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/socket.io.js")).header("If-None-Match", etag)
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    @Test
    void aBuildWithoutTheBundleAnswers404WithTheReason() throws Exception {
        ClientBundle missing = ClientBundle.load(getClass().getClassLoader(), "no/such/place/");
        assertTrue(missing.version().isEmpty());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(missing.handler(false, Duration.ofMinutes(5)));
        server.start();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/socket.io/socket.io.js")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
            assertEquals(ClientBundle.MISSING, r.body());
        } finally {
            server.stop();
        }
    }
}
