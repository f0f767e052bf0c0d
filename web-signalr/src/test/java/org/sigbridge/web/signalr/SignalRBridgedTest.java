package org.sigbridge.web.signalr;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.bridge.BridgedPair;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.web.WsClient;

/**
 * The channels named inside {@code {message, channel}} texts are hub channels: routed to an XMPP MUC room, two SignalR
 * hubs on two bridges exchange {@code Send}s through one Prosody room (docs/signalr.md#channels).
 */
class SignalRBridgedTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    private static final String RS = "\u001e";

    @Test
    void sendsOnARoutedChannelCrossTwoBridgesThroughOneMucRoom() throws Exception {
        try (BridgedPair pair = BridgedPair.throughProsody(PROSODY.server(), "room-*", "    signalr: {clients: others}\n");
             WsClient a = connected(pair.eastHttp("/hubs/h"));
             WsClient b = connected(pair.westHttp("/hubs/h"))) {
            String room = "room-" + Long.toHexString(System.nanoTime());
            // each side speaks first on the channel, so that its bridge hears it (joins the MUC room) ...
            b.send(send("0", "{\"message\":\"ready\",\"channel\":\"" + room + "\"}"));
            a.send(send("0", "{\"message\":\"ready\",\"channel\":\"" + room + "\"}"));
            // ... and once each bridge sees the other in the room, messages cross both ways
            pair.awaitBothInRoom(room, Duration.ofSeconds(20));
            String hello = "{\"message\":\"hello\",\"channel\":\"" + room + "\"}";
            a.send(send("1", hello));
            awaitBroadcast(b, hello);
            String answer = "{\"message\":{\"sdp\":\"v=0\"},\"channel\":\"" + room + "\"}";
            b.send(send("1", answer));
            awaitBroadcast(a, answer);
        }
    }

    /** Reads frames (completions, pings, the other side's "ready") until {@code onMessageReceived(text)}. */
    private static void awaitBroadcast(WsClient c, String text) throws InterruptedException {
        String expected = "{\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[" + JsonValue.string(text).json() + "]}" + RS;
        java.util.List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String frame = c.next();
            if (frame.equals(expected)) {
                return;
            }
            seen.add(frame);
        }
        throw new AssertionError("no " + expected + " among " + seen);
    }

    private static String send(String id, String text) {
        return "{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"Send\",\"arguments\":["
                + JsonValue.string(text).json() + "]}" + RS;
    }

    private static WsClient connected(URI http) throws Exception {
        WsClient ws = WsClient.connect(URI.create(http.toString().replaceFirst("^http", "ws")));
        ws.send("{\"protocol\":\"json\",\"version\":1}" + RS);
        ws.expect("{}" + RS);
        return ws;
    }
}
