package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.config.Secret;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.identity.TokenMinter;

/**
 * Verified identity on socket.io (docs/socketio.md, "Verified identity") with the real socket.io-client 4.8 (token in
 * {@code auth} or the query, Engine.IO 4) and 2.5 (token in the query, Engine.IO 3) in Node ({@code npm/identity.js}):
 * a valid token connects and the sender a peer sees is the token's; a page naming another sender is refused and its
 * message reaches nobody; expired, audience-bound, HS384-signed and missing tokens, and a channel outside the token's
 * scope, are refused with a CONNECT_ERROR carrying the reason; RTCMultiConnection's userid must be the token's, and
 * its messages and renames cannot claim another; signalmaster (2.5 only) joins rooms within the token's channels only.
 * Refusals are counted in the web adapter's identity metrics.
 */
class SocketIoIdentityTest {

    /** 512 bits, so that a genuine HS384 signature under it can be made (and must still be refused). */
    static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A bridge in verified mode with the socket.io dialect. */
    static TestBridge verifiedBridge() throws Exception {
        return TestBridge.start("""
                    identity:
                      mode: verified
                      secret: %s
                      max-ttl: 2h
                """.formatted(SECRET));
    }

    /** Named tokens: valid ones for alice and bob, an alice scoped to {@code id-*}, and four that must be refused. */
    static String tokens() throws Exception {
        TokenMinter minter = new TokenMinter(Secret.of(SECRET));
        Instant now = Instant.now();
        Map<String, String> t = new LinkedHashMap<>();
        t.put("alice", minter.mint("alice", Optional.empty(), now, Duration.ofHours(1)));
        t.put("bob", minter.mint("bob", Optional.empty(), now, Duration.ofHours(1)));
        t.put("scoped", minter.mint("alice", Optional.of("id-*"), now, Duration.ofHours(1)));
        t.put("expired", minter.mint("alice", Optional.empty(), now.minus(Duration.ofHours(1)), Duration.ofMinutes(30)));
        t.put("audience", signed(JWSAlgorithm.HS256, claims(now).audience("https://other.example").build()));
        t.put("hs384", signed(JWSAlgorithm.HS384, claims(now).build()));
        return JSON.writeValueAsString(t);
    }

    private static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder().subject("alice").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    private static String signed(JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JsonNode line(List<JsonNode> lines, String key) {
        return lines.stream().filter(l -> l.has(key)).findFirst().orElseThrow(() -> new AssertionError("no '" + key + "' in " + lines));
    }

    private static JsonNode refusal(List<JsonNode> lines, String name) {
        return lines.stream().filter(l -> name.equals(l.path("case").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no case '" + name + "' in " + lines));
    }

    private static void assertRefused(List<JsonNode> lines, String name, String reasonStart) {
        JsonNode c = refusal(lines, name);
        assertTrue(c.path("refused").asText().startsWith(reasonStart), name + ": " + c);
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"4", "2"})
    void aTokenDecidesTheSenderAndEveryBadTokenIsRefusedInProtocolTerms(String client) throws Exception {
        try (TestBridge bridge = verifiedBridge()) {
            List<JsonNode> lines = NodeClient.runScript("identity.js", "http://127.0.0.1:" + bridge.port() + "/", client, tokens());

            assertEquals("[null]", line(lines, "own").get("own").toString(), lines.toString());
            JsonNode impersonation = line(lines, "impersonation");
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), impersonation.get("impersonation").get(0).get("code").asText(), lines.toString());
            assertTrue(impersonation.get("errorEvent").get("detail").asText().startsWith("sender \"bob\" is not the token's sender 'alice'"),
                    impersonation.toString());
            assertEquals("[1,3]", line(lines, "bobHeard").get("bobHeard").toString(), "the forged message reached nobody");
            assertEquals("[\"alice\",null]", line(lines, "bobHeard").get("senders").toString(), lines.toString());

            assertRefused(lines, "expired", "token expired at ");
            assertRefused(lines, "audience", "token names an audience (claim 'aud')");
            assertRefused(lines, "hs384", "token algorithm must be HS256");
            assertRefused(lines, "missing", "identity is verified: connect with auth {token: …} or ?token=…");
            assertRefused(lines, "scope", "the token of 'alice' allows channels 'id-*', not 'elsewhere'");
            assertEquals(true, refusal(lines, "inScope").path("connected").asBoolean(), lines.toString());

            assertRefused(lines, "rmcOtherUserid", "userid 'mallory' is not the token's sender 'alice'");
            assertEquals("[true]", line(lines, "opened").get("opened").toString(), lines.toString());
            assertEquals("[true]", line(lines, "joined").get("joined").toString(), lines.toString());
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), line(lines, "rmcImpersonation").get("rmcImpersonation").get("code").asText());
            assertEquals("{\"sender\":\"bob\",\"n\":\"real\"}", line(lines, "rmcHeard").get("rmcHeard").toString(), lines.toString());
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), line(lines, "rename").get("rename").asText(), lines.toString());

            if (client.equals("2")) { // signalmaster is spoken on Engine.IO 3 only
                JsonNode outside = line(lines, "smOutside").get("smOutside").get(0);
                assertEquals(ErrorCode.NOT_PERMITTED.wire(), outside.get("code").asText(), lines.toString());
                assertEquals("the token of 'alice' allows channels 'id-*', not 'elsewhere'", outside.get("detail").asText());
                assertEquals("[null,{\"clients\":{}}]", line(lines, "smInside").get("smInside").toString(), lines.toString());
            }

            // four tokens refused (expired, audience, hs384, missing; the scope and the userid are refused for what they ask)
            assertEquals(4, bridge.web().stats().upgradesRefused(UpgradeRefusal.TOKEN), lines.toString());
            assertTrue(bridge.web().stats().errors(ErrorCode.NOT_PERMITTED) >= 9, "refusals counted as not_permitted");
        }
    }
}
