package org.sigbridge.web.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.web.WebAdapter;

/**
 * Real TLS handshakes with the shipped example config ({@code conf/examples/tls.yml}) and a certificate made here by
 * openssl (PEM) or keytool (PKCS12), trusted by the JDK clients and nothing else.
 */
class TlsTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "examples", "tls.yml");

    @TempDir
    Path dir;

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + ": " + out);
    }

    private Path pemPair() throws Exception {
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()));
        return dir.resolve("cert.pem");
    }

    private static SSLContext trusting(Path certPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            trust.setCertificateEntry("example", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static SigBridge start(Map<String, String> env, Path config) throws Exception {
        BridgeConfig c = new ConfigLoader(ConfigLoader.installedFactories(), env::get).load(config);
        SigBridge bridge = SigBridge.create(c);
        bridge.start();
        return bridge;
    }

    @Test
    void theExampleConfigServesHttpsAndWssWithPemFiles() throws Exception {
        Path cert = pemPair();
        try (SigBridge bridge = start(Map.of("SIGBRIDGE_WEB_PORT", "0", "SIGBRIDGE_TLS_CERT", cert.toString(),
                "SIGBRIDGE_TLS_KEY", dir.resolve("key.pem").toString()), EXAMPLE)) {
            int port = ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
            assertTrue(bridge.describe().get(0).contains("listening on https://127.0.0.1:" + port), bridge.describe().toString());
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());

            CompletableFuture<String> received = new CompletableFuture<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    received.complete(data.toString());
                    return null;
                }
            };
            URI wss = URI.create("wss://127.0.0.1:" + port + "/ws/envelope?channel=secure");
            WebSocket a = client.newWebSocketBuilder().buildAsync(wss, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            WebSocket b = client.newWebSocketBuilder().buildAsync(wss, listener).get(10, TimeUnit.SECONDS);
            b.sendText("{\"checkPresence\":true,\"channel\":\"secure\"}", true).get(5, TimeUnit.SECONDS);
            assertEquals("{\"isChannelPresent\":true}", received.get(10, TimeUnit.SECONDS));
            a.abort();
            b.abort();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
        Path cert = pemPair();
        try (SigBridge bridge = start(Map.of("SIGBRIDGE_WEB_PORT", "0", "SIGBRIDGE_TLS_CERT", cert.toString(),
                "SIGBRIDGE_TLS_KEY", dir.resolve("key.pem").toString()), EXAMPLE)) {
            int port = ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void servesHttpsFromAPkcs12KeyStore() throws Exception {
        Path store = dir.resolve("tls.p12");
        run(List.of("keytool", "-genkeypair", "-alias", "sigbridge", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit-123", "-keypass", "changeit-123"));
        run(List.of("keytool", "-exportcert", "-rfc", "-alias", "sigbridge", "-keystore", store.toString(),
                "-storepass", "changeit-123", "-file", dir.resolve("cert.pem").toString()));
        Path config = dir.resolve("p12.yml");
        Files.writeString(config, """
                adapters:
                  web:
                    type: web
                    port: 0
                    tls:
                      keystore: %s
                      keystore-password: ${P12_PASSWORD}
                """.formatted(store));
        try (SigBridge bridge = start(Map.of("P12_PASSWORD", "changeit-123"), config)) {
            int port = ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(dir.resolve("cert.pem"))).build();
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aKeyInTheWrongFormatFailsTheStartInOneLineWithTheFix() throws Exception {
        Path cert = pemPair();
        Path rsaKey = dir.resolve("rsa.pem");
        run(List.of("openssl", "pkey", "-in", dir.resolve("key.pem").toString(), "-traditional", "-out", rsaKey.toString()));
        SigBridge bridge = SigBridge.create(new ConfigLoader(ConfigLoader.installedFactories(),
                Map.of("SIGBRIDGE_WEB_PORT", "0", "SIGBRIDGE_TLS_CERT", cert.toString(), "SIGBRIDGE_TLS_KEY", rsaKey.toString())::get).load(EXAMPLE));
        AdapterStartException e = assertThrows(AdapterStartException.class, bridge::start);
        assertTrue(e.getMessage().contains("must be an unencrypted PKCS#8 PEM key") && e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }
}
