package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.identity.TokenMinter;

/**
 * Verified identity on Socket.IO 0.9 (docs/socketio.md, "Verified identity") with the real socket.io-client 0.9.16 in
 * Node ({@code js-v09/identity09.js}): the handshake's {@code ?token=} decides the sender; a missing or expired token is
 * refused at the handshake (403, the client's {@code error} event carries the reason); the broadcast relay and
 * socketio-over-nodejs refuse a message naming another sender; a namespace outside the token's channels is refused as
 * the reference refuses an unauthorized namespace ({@code 7::/ns:2}, the client's {@code connect_failed}); Reliable-Signaler's
 * real client ({@code signaler.js}) is refused a room outside the token's channels in its callbacks, and keeps one inside.
 */
class V09IdentityTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void theHandshakeTokenDecidesTheSenderOfEveryFamily() throws Exception {
        TokenMinter minter = new TokenMinter(Secret.of(SECRET));
        Instant now = Instant.now();
        String tokens = new ObjectMapper().writeValueAsString(Map.of(
                "alice", minter.mint("alice", Optional.empty(), now, Duration.ofHours(1)),
                "bob", minter.mint("bob", Optional.empty(), now, Duration.ofHours(1)),
                "scoped", minter.mint("alice", Optional.of("id-*"), now, Duration.ofHours(1)),
                "expired", minter.mint("alice", Optional.empty(), now.minus(Duration.ofHours(1)), Duration.ofMinutes(30))));
        try (TestBridge bridge = TestBridge.start("""
                    identity:
                      mode: verified
                      secret: %s
                """.formatted(SECRET));
             Node09 node = Node09.start("identity09.js", "http://127.0.0.1:" + bridge.port() + "/", tokens)) {
            List<JsonNode> lines = node.untilDone();

            assertEquals("{\"case\":\"missing\",\"refused\":\"handshake unauthorized: identity is verified: connect with auth {token: …} or ?token=…\"}",
                    lines.get(0).toString());
            assertTrue(lines.get(1).get("refused").asText().startsWith("handshake unauthorized: token expired at "), lines.get(1).toString());

            JsonNode impersonation = lines.get(2);
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), impersonation.get("impersonation").get(0).get("code").asText(), impersonation.toString());
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), impersonation.get("errorEvent").get("code").asText(), impersonation.toString());
            assertEquals("{\"own\":[null]}", lines.get(3).toString());
            assertEquals("{\"bobHeard\":[2],\"sender\":\"alice\"}", lines.get(4).toString(), "the forged message reached nobody");

            assertEquals("{\"case\":\"scope\",\"refused\":\"unauthorized\"}", lines.get(5).toString());
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), lines.get(6).get("onoImpersonation").get("code").asText(), lines.get(6).toString());
            assertEquals("{\"onoHeard\":{\"sender\":\"someone\",\"message\":\"real\"}}", lines.get(7).toString());
            assertEquals("{\"userLeft\":\"bob\"}", lines.get(8).toString(), "user-left names the token's sender");

            String outside = "[{\"code\":\"not_permitted\",\"detail\":\"the token of 'alice' allows channels 'id-*', not 'rs-elsewhere'\"}]";
            assertEquals("{\"rsKeepOutside\":" + outside + "}", lines.get(9).toString(), "createNewRoomOnServer outside the scope");
            assertEquals("{\"rsAskOutside\":" + outside + "}", lines.get(10).toString(), "getRoomFromServer outside the scope");
            assertEquals("{\"rsKeepInside\":[],\"rsAskInside\":[\"id-rs\"]}", lines.get(11).toString(), "a room inside the scope is kept and found");
            assertEquals("{\"rsAfter\":[\"id-rs\"],\"rsErrorEvents\":0}", lines.get(12).toString(),
                    "no error event (signaler.js would re-open its socket), the connection still serves");

            assertEquals(2, bridge.web().stats().upgradesRefused(UpgradeRefusal.TOKEN));
            assertTrue(bridge.web().stats().errors(ErrorCode.NOT_PERMITTED) >= 8, "three Reliable-Signaler refusals counted too");
        }
    }
}
