package org.sigbridge.interop.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.xmpp.XmppBridge.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.testkit.junit.EjabberdExtension;
import org.sigbridge.testkit.peers.GoSendXmpp;
import org.sigbridge.testkit.peers.LineClient;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.WebAdapter;

/**
 * XMPP clients that are not Smack, in a room the bridge serves on a real ejabberd 23.01: the command-line client
 * go-sendxmpp (Debian package) and xmpp.js ({@code @xmpp/client} from npm, in Node). Each talks STARTTLS with the
 * server's certificate verified, sees the browser's signaling, and its replies reach the browser; one row runs end
 * to end from a page on the bridge's envelope WebSocket (web-classic) to go-sendxmpp and back.
 */
@Timeout(90)
class NativeXmppClientsTest {

    @RegisterExtension
    static final EjabberdExtension EJABBERD = new EjabberdExtension(b -> b.users("carol"));

    @Test
    void goSendXmppPostsToTheRoomAndTheBrowserGetsItFromItsNick() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "gs-post", "");
             GoSendXmpp cli = new GoSendXmpp(EJABBERD.server())) {
            RecordingEndpoint browser = bridge.browser("browser-g1", "gosend-1");

            String answer = "{\"type\":\"answer\",\"sdp\":\"v=0 from go-sendxmpp\"}";
            cli.postToRoom("bob", room("gosend-1"), "gosend", answer);

            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("gosend-1", got.channel());
            assertEquals("\"gosend\"", got.sender().json());
            assertEquals(answer, got.message().json());
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void goSendXmppListeningInTheRoomSeesTheBrowsersOfferAndItsAnswerReachesTheBrowser() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "gs-listen", "");
             GoSendXmpp cli = new GoSendXmpp(EJABBERD.server());
             LineClient listener = cli.listenInRoom("carol", room("gosend-2"), "carol-cli")) {
            RecordingEndpoint browser = bridge.browser("browser-g2", "gosend-2");
            XmppBridge.awaitJoined(browser, p -> p.name().equals("carol-cli"));

            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0 from the browser\"}";
            bridge.hub().publish(bridge.envelope("gosend-2", "browser-g2", offer, browser.id()), browser);
            String line = listener.awaitLine("with the browser's offer", l -> l.contains(offer), WAIT);
            assertTrue(line.contains("gs-listen"), "go-sendxmpp names the bridge's occupant as the sender: " + line);

            String answer = "{\"type\":\"answer\",\"sdp\":\"v=0 from go-sendxmpp\"}";
            cli.postToRoom("bob", room("gosend-2"), "gosend", answer);
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("\"gosend\"", got.sender().json());
            assertEquals(answer, got.message().json());
        }
    }

    @Test
    void xmppJsJoinsOverVerifiedStartTlsSeesTheBrowsersOfferAndItsAnswerReachesTheBrowser() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "js-bridge", "");
             LineClient xmppJs = XmppJsClient.start(EJABBERD.server(), "bob", room("xmppjs-1"), "xmppjs")) {
            RecordingEndpoint browser = bridge.browser("browser-j1", "xmppjs-1");
            String online = xmppJs.awaitLine("online", l -> l.startsWith("{\"online\""), WAIT);
            assertTrue(online.matches(".*\"tls\":\"TLSv1\\.[23]\".*"), "xmpp.js negotiated STARTTLS: " + online);
            XmppBridge.awaitJoined(browser, p -> p.name().equals("xmppjs"));

            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0 from the browser\"}";
            bridge.hub().publish(bridge.envelope("xmppjs-1", "browser-j1", offer, browser.id()), browser);

            String seen = xmppJs.awaitLine("with the offer", l -> l.startsWith("{\"message\""), WAIT);
            assertEquals("{\"message\":" + quote(offer) + ",\"from\":\"js-bridge\"}", seen);
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("\"xmppjs\"", got.sender().json());
            assertEquals("{\"type\":\"answer\",\"to\":\"js-bridge\",\"sdp\":\"v=0 from xmpp.js\"}", got.message().json());
            xmppJs.awaitLine("done", l -> l.equals("{\"done\":true}"), WAIT);
            assertEquals(0, xmppJs.awaitExit(Duration.ofSeconds(10)), xmppJs.output());
        }
    }

    @Test
    void aWebSocketPageAndGoSendXmppExchangeAnOfferAndAnAnswerEndToEnd() throws Exception {
        String yaml = """
                bridge:
                  name: ws-bridge
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    demo: false
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: alice
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(EJABBERD.server().port(), EJABBERD.server().domain(), EJABBERD.server().mucService(),
                EJABBERD.server().mucService());
        try (BridgeUnderTest bridge = BridgeUnderTest.fromYaml(yaml, Map.of("XMPP_PASSWORD", EJABBERD.server().password()));
             GoSendXmpp cli = new GoSendXmpp(EJABBERD.server());
             LineClient listener = cli.listenInRoom("carol", room("wspage-1"), "carol-cli");
             WsClient page = WsClient.envelopeOn(bridge.adapter("web", WebAdapter.class).port(), "WsPage-1")) {
            bridge.awaitLeg("xmpp", s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 1 joined, 0 joining, 0 failing"),
                    "joined the page's room", WAIT);

            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0 from a page\"}";
            page.sendEnvelope("page-offer-1", "page-user", "WsPage-1", offer);
            listener.awaitLine("with the page's offer", l -> l.contains(offer), WAIT);

            String answer = "{\"type\":\"answer\",\"sdp\":\"v=0 from go-sendxmpp\"}";
            cli.postToRoom("bob", room("wspage-1"), "gosend", answer);
            Map<String, JsonValue> got = page.nextEnvelope(WAIT);
            assertEquals(JsonValue.string("WsPage-1"), got.get("channel"));
            assertEquals(JsonValue.string("gosend"), got.get("sender"));
            assertEquals(answer, got.get("message").json());
        }
    }

    private static String room(String localpart) {
        return localpart + "@" + EJABBERD.server().mucService();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
