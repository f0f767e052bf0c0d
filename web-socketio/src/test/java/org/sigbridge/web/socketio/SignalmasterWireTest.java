package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The signalmaster family on the raw Engine.IO 3 wire (docs/socketio.md): TURN REST credentials and
 * {@code turn-origins}, a refused room answered in the {@code join} ack, and a message to nobody reported.
 */
class SignalmasterWireTest {

    private static final String SECRET = "another-shared-turn-secret";

    @Test
    void turnCredentialsAreTheTurnRestSchemeAndOnlyForListedOrigins() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      signalmaster:\n        stun-servers: []\n"
                + "        turn-servers: [\"turn:t.example:3478\", \"turns:t.example:5349\"]\n        turn-secret: " + SECRET + "\n"
                + "        turn-expiry: 1h\n        turn-origins: [\"http://127.0.0.1:3000\"]\n")) {
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket"), Map.of("Origin", "http://127.0.0.1:3000"))) {
                ws.next(); // open
                assertEquals("40", ws.next());
                assertEquals("42[\"stunservers\",[]]", ws.next());
                String turn = ws.next();
                Matcher m = Pattern.compile("42\\[\"turnservers\",\\[\\{\"username\":\"(\\d+)\",\"credential\":\"([^\"]+)\","
                        + "\"urls\":\\[\"turn:t.example:3478\",\"turns:t.example:5349\"]}]]").matcher(turn);
                assertTrue(m.matches(), turn);
                long expiry = Long.parseLong(m.group(1)) - System.currentTimeMillis() / 1000;
                assertTrue(expiry > 3500 && expiry <= 3600, "username = now + turn-expiry: " + expiry);
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(m.group(1).getBytes(StandardCharsets.UTF_8))), m.group(2));
            }
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket"), Map.of("Origin", "http://localhost:3000"))) {
                ws.next();
                ws.next();
                ws.next();
                assertEquals("42[\"turnservers\",[]]", ws.next(), "an origin outside turn-origins gets no credentials");
            }
        }
    }

    @Test
    void aRefusedRoomIsAnsweredInTheAckAndAMessageToNobodyIsReported() throws Exception {
        try (TestBridge bridge = TestBridge.start(); // routes denied-* to deny
             WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket"))) {
            for (int i = 0; i < 4; i++) {
                ws.next(); // open, 40, stunservers, turnservers
            }
            ws.send("421[\"join\",\"denied-room\"]");
            String ack = ws.next();
            assertTrue(ack.startsWith("431[{\"code\":\"not_permitted\""), ack);
            assertTrue(ws.next().startsWith("42[\"error\",{\"code\":\"not_permitted\""));
            ws.send("422[\"join\",\"open-room\"]");
            assertEquals("432[null,{\"clients\":{}}]", ws.next());
            ws.send("42[\"message\",{\"to\":\"nobody-here\",\"type\":\"offer\",\"payload\":{}}]");
            String error = ws.next();
            assertTrue(error.startsWith("42[\"error\",{\"code\":\"no_such_recipient\"") && error.contains("\"id\":"), error);
        }
    }
}
