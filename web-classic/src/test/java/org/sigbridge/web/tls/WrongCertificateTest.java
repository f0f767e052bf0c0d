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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.web.WebAdapter;

/**
 * The web leg with a certificate the client must refuse (docs/reliability.md, "Security checks"): the bridge serves
 * HTTPS and WSS with the configured certificate only, so a client that does not trust it fails the WSS handshake, and
 * a client that trusts the certificate but reaches the bridge under a name the certificate does not carry (issued for
 * {@code other.example}, reached as {@code localhost}) fails HTTPS and WSS on the name check (RFC 2818 §3.1,
 * RFC 6125). The same client reaches the bridge under the certificate's own name: the refusals are the certificate's.
 */
class WrongCertificateTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "examples", "tls.yml");

    @TempDir
    Path dir;

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheWssHandshake() throws Exception {
        Path cert = certificate("localhost", "DNS:localhost,IP:127.0.0.1");
        try (SigBridge bridge = start(cert)) {
            URI wss = URI.create("wss://127.0.0.1:" + port(bridge) + "/ws/envelope?channel=secure");
            ExecutionException e = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(wss, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
            assertTrue(causedBy(e, SSLHandshakeException.class), e.toString());
        }
    }

    @Test
    void aTrustedCertificateForAnotherNameIsRefusedOnHttpsAndWss() throws Exception {
        Path cert = certificate("other.example", "DNS:other.example");
        try (SigBridge bridge = start(cert)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();
            int port = port(bridge);
            HttpRequest https = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/healthz")).timeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> client.send(https, HttpResponse.BodyHandlers.ofString()));
            URI wss = URI.create("wss://localhost:" + port + "/ws/envelope?channel=secure");
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.newWebSocketBuilder()
                    .buildAsync(wss, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
            assertTrue(causedBy(e, SSLHandshakeException.class), e.toString());
        }
    }

    @Test
    void theSameCertificateIsAcceptedUnderItsOwnName() throws Exception {
        Path cert = certificate("localhost", "DNS:localhost");
        try (SigBridge bridge = start(cert)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port(bridge) + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
        }
    }

    private Path certificate(String cn, String san) throws Exception {
        Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=" + cn, "-addext", "subjectAltName=" + san, "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return dir.resolve("cert.pem");
    }

    private SigBridge start(Path cert) throws Exception {
        Map<String, String> env = Map.of("SIGBRIDGE_WEB_PORT", "0", "SIGBRIDGE_TLS_CERT", cert.toString(),
                "SIGBRIDGE_TLS_KEY", dir.resolve("key.pem").toString());
        BridgeConfig c = new ConfigLoader(ConfigLoader.installedFactories(), env::get).load(EXAMPLE);
        SigBridge bridge = SigBridge.create(c);
        bridge.start();
        return bridge;
    }

    private static int port(SigBridge bridge) {
        return ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
    }

    private static SSLContext trusting(Path certPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            trust.setCertificateEntry("bridge", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
