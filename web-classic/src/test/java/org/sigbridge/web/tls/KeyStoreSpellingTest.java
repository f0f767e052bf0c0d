package org.sigbridge.web.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.web.TlsSettings;
import org.sigbridge.web.WebAdapter;
import org.sigbridge.web.WebSettings;

/**
 * The web section's key store is spelled as in every other section ({@code key-store}, {@code key-store-password},
 * {@code key-store-type}); the first spelling ({@code keystore}, …) is still read, with a warning naming the new key.
 */
class KeyStoreSpellingTest {

    @TempDir
    Path dir;

    private Path keyStore() throws Exception {
        Path store = dir.resolve("tls.p12");
        run(List.of("keytool", "-genkeypair", "-alias", "sigbridge", "-keyalg", "EC", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit-123", "-keypass", "changeit-123"));
        return store;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + ": " + out);
    }

    private static String yaml(String keys) {
        return """
                adapters:
                  web:
                    type: web
                    port: 0
                    tls:
                """ + keys;
    }

    @Test
    void servesHttpsFromAKeyStoreSpelledAsInEverySection() throws Exception {
        Path store = keyStore();
        List<String> warnings = new ArrayList<>();
        ConfigLoader loader = new ConfigLoader(ConfigLoader.installedFactories(), Map.of("P", "changeit-123")::get, warnings::add);
        SigBridge bridge = SigBridge.create(loader.parse(yaml("""
                      key-store: %s
                      key-store-password: ${P}
                      key-store-type: pkcs12
                """.formatted(store)), "t.yml"));
        try (bridge) {
            bridge.start();
            int port = ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                trust.load(in, "changeit-123".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void readsTheFirstSpellingWithOneWarningPerKeyNamingTheNewOne() throws Exception {
        Path store = keyStore();
        List<String> warnings = new ArrayList<>();
        ConfigLoader loader = new ConfigLoader(ConfigLoader.installedFactories(), Map.of("P", "changeit-123")::get, warnings::add);
        WebSettings web = (WebSettings) loader.parse(yaml("""
                      keystore: %s
                      keystore-password: ${P}
                      keystore-type: JKS
                """.formatted(store)), "t.yml").adapters().get("web");
        TlsSettings tls = web.tls();
        assertEquals(store.toString(), tls.keyStore());
        assertEquals("changeit-123", tls.keyStorePassword().reveal());
        assertEquals("JKS", tls.keyStoreType());
        assertEquals(3, warnings.size(), warnings.toString());
        assertEquals("t.yml:6: adapters.web.tls.keystore: 'keystore' is an old spelling; write 'key-store' (the old one is still read, for now)",
                warnings.get(0));
        assertTrue(warnings.get(1).contains("write 'key-store-password'"), warnings.get(1));
        assertTrue(warnings.get(2).contains("write 'key-store-type'"), warnings.get(2));
    }

    @Test
    void anEmptyKeyStorePasswordIsMissingWithTheFix() throws Exception {
        Path store = keyStore();
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(ConfigLoader.installedFactories(),
                Map.<String, String>of()::get, w -> { }).parse(yaml("""
                      key-store: %s
                      key-store-password: ${SIGBRIDGE_KEYSTORE_PASSWORD:-}
                """.formatted(store)), "t.yml"));
        // At the key's own line (issue #17: refused values point at their key, not at the section)
        assertEquals("t.yml:7: adapters.web.tls.key-store-password: tls.key-store-password is missing; set it, e.g. "
                + "${SIGBRIDGE_KEYSTORE_PASSWORD}", e.getMessage());
    }
}
