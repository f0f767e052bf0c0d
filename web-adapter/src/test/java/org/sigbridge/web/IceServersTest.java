package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/** {@code ice-servers}: validated like every key, served to pages at {@code /api/ice-servers} with TURN REST credentials. */
class IceServersTest {

    private static final String SECRET = "a-turn-shared-secret";

    private static HttpResponse<String> get(TestBridge bridge, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(bridge.http(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesStunAsIsAndMintsTimeLimitedTurnCredentialsFromTheSharedSecret() throws Exception {
        try (TestBridge bridge = TestBridge.start("""
                    ice-servers:
                      - urls: stun:stun.example.org:3478
                      - urls: ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
                        secret: %s
                        ttl: 2h
                      - urls: turn:fixed.example.org
                        username: alice
                        credential: pw
                """.formatted(SECRET))) {
            long before = Instant.now().getEpochSecond();
            HttpResponse<String> r = get(bridge, "/api/ice-servers");

            assertEquals(200, r.statusCode());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
            String body = r.body();
            assertTrue(body.startsWith("{\"iceServers\":[{\"urls\":[\"stun:stun.example.org:3478\"]},"
                    + "{\"urls\":[\"turn:turn.example.org:3478?transport=udp\",\"turns:turn.example.org:5349\"],\"username\":\""), body);
            assertTrue(body.endsWith(",{\"urls\":[\"turn:fixed.example.org\"],\"username\":\"alice\",\"credential\":\"pw\"}]}"), body);

            String turn = body.substring(body.indexOf("\"username\":\"") + 12);
            String username = turn.substring(0, turn.indexOf('"'));
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertTrue(expiry >= before + 7200 && expiry <= Instant.now().getEpochSecond() + 7200, username);
            assertEquals("sigbridge", username.substring(username.indexOf(':') + 1));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
            assertTrue(body.contains("\"username\":\"" + username + "\",\"credential\":\"" + expected + "\""), body);
        }
    }

    @Test
    void servesAnEmptyListWhenNoneAreConfigured() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            Map<String, JsonValue> body = JsonObjectReader.readObject(get(bridge, "/api/ice-servers").body());
            assertEquals("[]", body.get("iceServers").json());
        }
    }

    @Test
    void refusesATurnServerWithoutCredentialsAtItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(ConfigLoader.installedFactories(),
                Map.<String, String>of()::get).parse("""
                adapters:
                  web:
                    type: web
                    ice-servers:
                      - urls: stun:stun.example.org
                      - urls: turn:turn.example.org
                """, "x.yml"));
        assertEquals(6, e.line(), e.getMessage());
        assertEquals("adapters.web.ice-servers[1]", e.keyPath());
        assertTrue(e.problem().startsWith("secret (TURN REST, as coturn's use-auth-secret) or username and credential"), e.problem());
    }

    @Test
    void refusesAUrlThatIsNotStunOrTurnAtItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(ConfigLoader.installedFactories(),
                Map.<String, String>of()::get).parse("""
                adapters:
                  web:
                    type: web
                    ice-servers:
                      - urls: https://stun.example.org
                """, "x.yml"));
        assertEquals("x.yml:5: adapters.web.ice-servers[0].urls: urls entry 'https://stun.example.org' must start with stun:, "
                + "stuns:, turn: or turns:, e.g. stun:stun.example.org:3478 or turn:turn.example.org:3478?transport=udp", e.getMessage());
    }
}
