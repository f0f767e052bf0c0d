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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sigbridge.web.TestBridge;

/**
 * {@code /socket.io/socket.io.js} and {@code /socket.io/<version>/socket.io.js}: the socket.io-client bundles the build
 * put in the jar (npm/bundle.sh), byte for byte the npm packages' {@code dist} files, {@code socketio.client-bundle}
 * choosing the default one; and, for a build without them, 404 with the reason.
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

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({"4.8.4,socket.io-client,socket.io.js,socket.io.min.js", "2.5.0,socket.io-client-2,socket.io.dev.js,socket.io.js",
            "1.7.4,socket.io-client-1,socket.io.js,socket.io.min.js", "0.9.16,socket.io-client-0.9,socket.io.js,socket.io.min.js"})
    void eachPinnedClientIsServedUnmodifiedAtItsVersionedPath(String version, String alias, String full, String min) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            assertServes(bridge, "/socket.io/" + version + "/socket.io.js", alias + "/dist/" + full);
            assertServes(bridge, "/socket.io/" + version + "/socket.io.min.js", alias + "/dist/" + min);
        }
    }

    @ParameterizedTest(name = "client-bundle: {0}")
    @CsvSource({"1,socket.io-client-1/dist/socket.io.js", "2,socket.io-client-2/dist/socket.io.dev.js", "'0.9',socket.io-client-0.9/dist/socket.io.js"})
    void clientBundleChoosesWhatSocketIoJsServes(String bundle, String dist) throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      client-bundle: " + bundle + "\n")) {
            assertServes(bridge, "/socket.io/socket.io.js", dist);
            assertServes(bridge, "/socket.io/4.8.4/socket.io.js", "socket.io-client/dist/socket.io.js");
        }
    }

    @Test
    void anUnknownClientBundleIsRefusedAtStartUp() {
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> TestBridge.start("    socketio:\n      client-bundle: 3\n").close());
        String all = refused.toString() + (refused.getCause() == null ? "" : refused.getCause().toString());
        assertTrue(all.contains("socketio.client-bundle") || all.contains("client-bundle"), all);
    }

    private static void assertServes(TestBridge bridge, String path, String npmFile) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(bridge.http(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path + ": built without npm? " + new String(r.body()));
        byte[] npm = Files.readAllBytes(NodeClient.DIR.resolve("node_modules").resolve(npmFile));
        assertTrue(java.util.Arrays.equals(npm, r.body()), path + " is " + npmFile + ", unmodified");
    }
}
