package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The web port and the admin port keep no per-connection HTTP header cache (Jetty's would hold about 96 KB on every
 * kept-alive connection; docs/benchmarks.md, "socket.io 4"), and headers are still read right on a kept-alive connection
 * without it.
 */
class HeaderCacheTest {

    @Test
    void everyConnectorParsesHeadersWithoutAPerConnectionCache() throws Exception {
        try (TestBridge bridge = TestBridge.start("""
                    admin:
                      port: 0
                """)) {
            assertEquals(0, bridge.web().headerCacheSize(), "header cache size of the web and admin connectors");
            HttpClient client = HttpClient.newHttpClient(); // one kept-alive HTTP/1.1 connection for both requests
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(bridge.http("/healthz")).version(HttpClient.Version.HTTP_1_1)
                        .header("X-Repeated", "same value each time").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
        }
    }
}
