package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.config.Secret;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.testkit.bridge.BridgedPair;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.WebAdapter;
import org.sigbridge.web.identity.TokenMinter;

/**
 * Verified identity across bridges (docs/socketio.md, "Verified identity"): two bridges in {@code identity.mode:
 * verified} joined through one real Prosody MUC room ({@link BridgedPair#throughProsody}). A socket.io-client 4.8 relay
 * page with carol's token on east ({@code npm/identity-bridged.js}) and an envelope page with bob's on west: what carol
 * sends reaches west with the token's sender stamped on the envelope — bare values too — and a message naming another
 * sender is refused on east ({@code not_permitted}, in the ack and an {@code error} event) and never crosses. (East's
 * XMPP account is {@code alice}, so the sender west sees cannot be the occupant's name.)
 */
class BridgedIdentityTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String CHANNEL = "id-bridged";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void theTokensSenderCrossesTheMucRoomAndAnImpersonationDoesNot() throws Exception {
        TokenMinter minter = new TokenMinter(Secret.of(SECRET));
        String carol = minter.mint("carol", Optional.empty(), Instant.now(), Duration.ofHours(1));
        String bob = minter.mint("bob", Optional.empty(), Instant.now(), Duration.ofHours(1));
        String web = "    identity:\n      mode: verified\n      secret: " + SECRET + "\n";
        try (BridgedPair pair = BridgedPair.throughProsody(PROSODY.server(), "id-*", web);
             WsClient west = WsClient.connect(URI.create(pair.westHttp("/ws/envelope?channel=" + CHANNEL).toString().replaceFirst("^http:", "ws:")))) {
            west.send("{\"token\":\"" + bob + "\"}");
            String identity = west.next();
            assertTrue(identity.startsWith("{\"identity\":{\"sender\":\"bob\""), "west's page is bob: " + identity);
            CompletableFuture<List<JsonNode>> east = CompletableFuture.supplyAsync(() -> {
                try {
                    return NodeClient.runScript("identity-bridged.js", pair.eastHttp("/").toString(), CHANNEL, carol);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            pair.awaitBothInRoom(CHANNEL, WAIT);
            west.sendEnvelope("go-1", "bob", CHANNEL, "{\"go\":true}");

            Map<String, JsonValue> first = west.nextEnvelope(WAIT);
            assertEquals("\"carol\"", first.get("sender").json(), "a bare value crosses with the token's sender: " + first);
            assertEquals("{\"n\":1}", first.get("message").json());
            Map<String, JsonValue> second = west.nextEnvelope(WAIT);
            assertEquals("\"carol\"", second.get("sender").json(), second.toString());
            assertEquals("{\"sender\":\"carol\",\"n\":2}", second.get("message").json());
            Map<String, JsonValue> third = west.nextEnvelope(WAIT);
            assertEquals("{\"n\":4}", third.get("message").json(), "the impersonation (n 3) never crossed: " + third);
            assertEquals("\"carol\"", third.get("sender").json());

            List<JsonNode> lines = east.get(60, TimeUnit.SECONDS);
            JsonNode go = lines.stream().filter(l -> l.has("go")).findFirst().orElseThrow();
            assertEquals("{\"go\":true}", go.get("go").toString(), "west's page reached east: " + lines);
            JsonNode refused = lines.stream().filter(l -> l.has("impersonation")).findFirst().orElseThrow();
            assertEquals(ErrorCode.NOT_PERMITTED.wire(), refused.get("impersonation").get(0).get("code").asText(), lines.toString());
            assertTrue(refused.get("errorEvent").get("detail").asText().startsWith("sender \"alice\" is not the token's sender 'carol'"),
                    refused.toString());
            WebAdapter eastWeb = (WebAdapter) pair.east().bridge().adapter("web").orElseThrow();
            assertEquals(1, eastWeb.stats().errors(ErrorCode.NOT_PERMITTED), "east counted the refusal");
        }
    }
}
