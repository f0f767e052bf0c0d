package org.sigbridge.web.signalr;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.WebAdapter;

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
        try (SigBridge east = bridge(PROSODY.server(), "east", "alice");
             SigBridge west = bridge(PROSODY.server(), "west", "bob");
             WsClient a = connected(east);
             WsClient b = connected(west)) {
            String room = "room-" + Long.toHexString(System.nanoTime());
            // each side speaks first on the channel, so that its bridge hears it (joins the MUC room) ...
            b.send(send("0", "{\"message\":\"ready\",\"channel\":\"" + room + "\"}"));
            a.send(send("0", "{\"message\":\"ready\",\"channel\":\"" + room + "\"}"));
            // ... and once each bridge sees the other in the room, messages cross both ways
            Poll.until("both bridges in the MUC room of " + room, Duration.ofSeconds(20), () -> seesXmpp(east, room) && seesXmpp(west, room));
            String hello = "{\"message\":\"hello\",\"channel\":\"" + room + "\"}";
            a.send(send("1", hello));
            awaitBroadcast(b, hello);
            String answer = "{\"message\":{\"sdp\":\"v=0\"},\"channel\":\"" + room + "\"}";
            b.send(send("1", answer));
            awaitBroadcast(a, answer);
        }
    }

    private static boolean seesXmpp(SigBridge bridge, String room) {
        return bridge.hub().participants(room).stream().anyMatch(p -> p.adapter().equals("xmpp"));
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

    private static WsClient connected(SigBridge bridge) throws Exception {
        int port = ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
        WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/hubs/h"));
        ws.send("{\"protocol\":\"json\",\"version\":1}" + RS);
        ws.expect("{}" + RS);
        return ws;
    }

    private static SigBridge bridge(ProsodyServer prosody, String name, String user) throws Exception {
        String yaml = """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    demo: false
                    signalr: {clients: others}
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: ${XMPP_PORT}
                    domain: %s
                    username: %s
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                    room-grace: 1s
                routes:
                  - match: "room-*"
                    to: xmpp
                    target: "{channel}@%s"
                  - match: "*"
                    to: local
                """.formatted(name, prosody.domain(), user, prosody.mucService(), prosody.mucService());
        Map<String, String> env = Map.of("XMPP_PORT", Integer.toString(prosody.port()), "XMPP_PASSWORD", ProsodyServer.PASSWORD);
        SigBridge bridge = SigBridge.create(new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(yaml, name + ".yml"));
        bridge.start();
        return bridge;
    }
}
