package org.sigbridge.web.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/** identity.mode verified through real WebSockets: tokens accepted, expired, forged, over-scoped; senders stamped. */
class VerifiedIdentityTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private final TokenMinter minter = new TokenMinter(Secret.of(SECRET));
    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start("""
                    identity:
                      mode: verified
                      secret: %s
                      max-ttl: 2h
                """.formatted(SECRET));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private String token(String sender, String channels, Duration ttl) {
        return minter.mint(sender, Optional.ofNullable(channels), Instant.now(), ttl);
    }

    private static int refusedStatus(java.net.URI uri) {
        CompletionException e = assertThrows(CompletionException.class, () -> WsClient.connect(uri));
        return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse().statusCode();
    }

    @Test
    void aUrlTokenIsAcceptedAndEveryEnvelopeCarriesItsSender() throws Exception {
        try (WsClient alice = WsClient.connect(bridge.ws("/ws/envelope?channel=room-1&token=" + token("alice", "room-*", Duration.ofHours(1))));
             WsClient bob = WsClient.connect(bridge.ws("/ws/envelope?channel=room-1&token=" + token("bob", "room-*", Duration.ofHours(1))))) {
            bob.expectPresent("room-1");
            alice.send("{\"channel\":\"room-1\",\"message\":\"no sender given\"}");
            assertTrue(bob.next().contains("\"sender\":\"alice\""));
            alice.send("{\"sender\":\"alice\",\"channel\":\"room-1\",\"message\":2}");
            assertTrue(bob.next().contains("\"sender\":\"alice\""));
        }
    }

    @Test
    void aFrameWhoseSenderDiffersFromTheTokenIsRefusedNotPermitted() throws Exception {
        try (WsClient alice = WsClient.connect(bridge.ws("/ws/envelope?channel=room-1&token=" + token("alice", null, Duration.ofHours(1))))) {
            alice.expectPresent("room-1");
            alice.send("{\"sender\":\"mallory\",\"channel\":\"room-1\",\"message\":1,\"id\":\"e-1\"}");
            String error = alice.next();
            assertTrue(error.startsWith("{\"error\":{\"code\":\"not_permitted\",\"detail\":\"sender \\\"mallory\\\" is not the token's sender 'alice'\""), error);
            assertTrue(error.contains("\"id\":\"e-1\""), error);
        }
    }

    @Test
    void aTokenSentAsTheFirstFrameIsAcceptedAndAnswered() throws Exception {
        try (WsClient alice = WsClient.connect(bridge.ws("/ws/envelope"))) {
            alice.send("{\"open\":true,\"channel\":\"room-1\"}");
            assertTrue(alice.next().contains("send {\\\"token\\\":\\\"…\\\"} first"), "frames before the token are refused");
            alice.send("{\"token\":\"" + token("alice", "room-*", Duration.ofMinutes(5)) + "\"}");
            String accepted = alice.next();
            assertTrue(accepted.startsWith("{\"identity\":{\"sender\":\"alice\",\"channels\":\"room-*\",\"expiresAt\":"), accepted);
            alice.send("{\"open\":true,\"channel\":\"room-1\"}");
            alice.expectPresent("room-1");
        }
    }

    @Test
    void channelsOutsideTheTokensGlobAreRefused() throws Exception {
        try (WsClient alice = WsClient.connect(bridge.ws("/ws/envelope?token=" + token("alice", "room-*", Duration.ofHours(1))))) {
            alice.send("{\"sender\":\"alice\",\"channel\":\"admin-1\",\"message\":1}");
            assertTrue(alice.next().contains("\"code\":\"not_permitted\",\"detail\":\"the token of 'alice' allows channels 'room-*', not 'admin-1'\""));
            alice.send("{\"open\":true,\"channel\":\"admin-2\"}");
            assertTrue(alice.next().contains("not_permitted"));
        }
        assertEquals(401, refusedStatus(bridge.ws("/ws/envelope?channel=x&token=" + token("a", "room-*", Duration.ofDays(1)))),
                "a token living longer than max-ttl is refused");
    }

    @Test
    void expiredAndForgedTokensAreRefusedAtTheUpgrade() throws Exception {
        String expired = minter.mint("alice", Optional.empty(), Instant.now().minusSeconds(120), Duration.ofSeconds(60));
        assertEquals(401, refusedStatus(bridge.ws("/ws/envelope?token=" + expired)));
        String forged = new TokenMinter(Secret.of("another-secret-another-secret-xx")).mint("alice", Optional.empty(), Instant.now(), Duration.ofHours(1));
        assertEquals(401, refusedStatus(bridge.ws("/ws/envelope?token=" + forged)));
        String genuine = token("alice", null, Duration.ofHours(1));
        String[] parts = genuine.split("\\.");
        String altered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"admin\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(401, refusedStatus(bridge.ws("/ws/envelope?token=" + altered)));
    }

    @Test
    void aForgedFirstFrameTokenGetsAClearErrorAndClose1008() throws Exception {
        try (WsClient c = WsClient.connect(bridge.ws("/ws/envelope"))) {
            c.send("{\"token\":\"abc.def.ghi\"}");
            assertTrue(c.next().contains("\"code\":\"not_permitted\",\"detail\":\"malformed token"));
            assertEquals(1008, c.closeCode(WsClient.WAIT));
        }
    }

    @Test
    void xhrIsRefusedInVerifiedModeWithAReason() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(bridge.http("/Home/GetData"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("use a WebSocket with ?token="), r.body());
    }

    @Test
    void theCliMintsATokenTheBridgeAccepts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = TokenCli.run(List.of("--secret-env", "S", "--sender", "alice", "--channels", "room-*", "--ttl", "1h"),
                Map.of("S", SECRET)::get, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        String token = out.toString(StandardCharsets.UTF_8).trim();
        try (WsClient alice = WsClient.connect(bridge.ws("/ws/envelope?channel=room-7&token=" + token))) {
            alice.expectPresent("room-7");
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, TokenCli.run(List.of("--secret-env", "UNSET", "--sender", "a"), name -> null, Clock.systemUTC(),
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("sigbridge token: environment variable UNSET is not set"));
    }
}
