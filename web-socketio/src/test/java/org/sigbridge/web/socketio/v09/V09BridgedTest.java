package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.WebAdapter;

/**
 * A socketio-over-nodejs page (the real socket.io-client 0.9.16 in Node) on one bridge and a channels page on another,
 * the two bridges joined through one real Prosody MUC room: the 0.9 namespace is a hub channel like any other, so the
 * route carries it unchanged (docs/socketio-09.md).
 */
class V09BridgedTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void aZeroNinePageAndAChannelsPageOnTwoBridgesMeetInOneMucRoom() throws Exception {
        try (SigBridge east = bridge(PROSODY.server(), "east", "alice");
             SigBridge west = bridge(PROSODY.server(), "west", "bob");
             Node09 page = Node09.start("scenario09.js", "http://127.0.0.1:" + port(east) + "/", "channel-page");
             WsClient channels = WsClient.connect(java.net.URI.create("ws://127.0.0.1:" + port(west) + "/ws/channels"))) {
            channels.send("{\"open\":true,\"channel\":\"mixed\"}");
            assertEquals("{\"ready\":true}", page.next(30).toString());
            // east joins the room for "mixed" on its own once the page's namespace opened it: a message west sends
            // before that reaches a room east is not yet in (a room keeps no history for the bridge). West seeing
            // east's page through the room means both sit in it.
            Poll.until("east's 0.9 page is seen on west through the MUC room", Duration.ofSeconds(30),
                    () -> west.hub().participants("mixed").stream().anyMatch(p -> p.adapter().equals("xmpp")));
            channels.send("{\"channel\":\"mixed\",\"data\":{\"sdp\":\"offer\"}}");
            assertEquals("{\"heard\":{\"sdp\":\"offer\"}}", page.next(30).toString(), "west's channels page reached the 0.9 page on east");
            assertEquals("{\"sender\":\"old-page\",\"message\":\"hello channels page\"}", channels.next(),
                    "and the 0.9 page's data reached west, unwrapped");
            page.untilDone();
        }
    }

    private static int port(SigBridge bridge) {
        return ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
    }

    /** A bridge whose channels all go to {@code {channel}@conference.localhost}. */
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
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(name, prosody.domain(), user, prosody.mucService(), prosody.mucService());
        Map<String, String> env = Map.of("XMPP_PORT", Integer.toString(prosody.port()), "XMPP_PASSWORD", ProsodyServer.PASSWORD);
        SigBridge bridge = SigBridge.create(new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(yaml, name + ".yml"));
        bridge.start();
        return bridge;
    }
}
