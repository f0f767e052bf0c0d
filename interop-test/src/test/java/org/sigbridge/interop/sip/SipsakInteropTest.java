package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.Sipsak;

/**
 * Raw MESSAGE requests written by hand and sent with sipsak 0.9.8 (Debian package) straight to the bridge's
 * listening point, and the final responses of docs/design.md §5.5 that sipsak sees: a request from a tool that is
 * neither JAIN-SIP nor sipp, with sipsak's own Via, transaction handling and retransmissions. One bridge for the
 * class.
 */
@Timeout(60)
class SipsakInteropTest {

    private static int port;
    private static SipBridge bridge;
    private static Sipsak sipsak;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.tcpAndUdp();
        String yaml = """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    max-body-bytes: 2000
                routes:
                  - match: "*"
                    to: sip
                    target: none
                """;
        bridge = SipBridge.start(yaml, Map.of("PORT", Integer.toString(port)));
        sipsak = new Sipsak();
    }

    @AfterAll
    static void stop() {
        if (sipsak != null) {
            sipsak.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    private static String uri(String channel) {
        return "sip:" + channel + "@127.0.0.1:" + port;
    }

    @Test
    void aTextMessageOverUdpIsAnswered200AndReachesTheBrowser() throws Exception {
        RecordingEndpoint browser = bridge.browser("browser-s1", "sipsak-1");
        Sipsak.Reply reply = sipsak.send(Sipsak.message(uri("sipsak-1"), "sip:sipsak@127.0.0.1", "text/plain",
                "hello from sipsak"), uri("sipsak-1"), "udp");
        assertEquals(200, reply.status(), reply.describe());
        assertEquals(0, reply.exitCode(), reply.describe());
        Envelope got = browser.envelopes().next(WAIT);
        assertEquals("sipsak-1", got.channel());
        assertEquals("\"sipsak\"", got.sender().json());
        assertEquals("\"hello from sipsak\"", got.message().json());
    }

    @Test
    void aJsonMessageOverTcpIsAnswered200AndItsValueReachesTheBrowser() throws Exception {
        RecordingEndpoint browser = bridge.browser("browser-s2", "sipsak-2");
        Sipsak.Reply reply = sipsak.send(Sipsak.message(uri("sipsak-2"), "sip:sipsak@127.0.0.1", "application/json",
                "{\"type\":\"offer\",\"sdp\":\"v=0\"}"), uri("sipsak-2"), "tcp");
        assertEquals(200, reply.status(), reply.describe());
        assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\"}", browser.envelopes().next(WAIT).message().json());
    }

    @Test
    void aChannelNobodyIsOnIsAnswered404() throws Exception {
        Sipsak.Reply reply = sipsak.send(Sipsak.message(uri("nobody-here"), "sip:sipsak@127.0.0.1", "text/plain", "hi"),
                uri("nobody-here"), "udp");
        assertEquals(404, reply.status(), reply.describe());
        assertEquals(1, reply.exitCode(), "sipsak: something else than 1xx or 2xx");
    }

    @Test
    void aBodyAboveMaxBodyBytesIsAnswered413OverUdpAndTcp() throws Exception {
        RecordingEndpoint browser = bridge.browser("browser-s4", "sipsak-4");
        for (String transport : new String[] {"udp", "tcp"}) { // sipsak reads request files of up to 4 KiB
            Sipsak.Reply reply = sipsak.send(Sipsak.message(uri("sipsak-4"), "sip:sipsak@127.0.0.1", "text/plain",
                    "x".repeat(3000)), uri("sipsak-4"), transport);
            assertEquals(413, reply.status(), transport + ": " + reply.describe());
        }
        browser.envelopes().expectNothing(java.time.Duration.ZERO);
    }

    @Test
    void anUnsupportedContentTypeIsAnswered415AndJsonThatIsNotJson400() throws Exception {
        bridge.browser("browser-s5", "sipsak-5");
        Sipsak.Reply sdp = sipsak.send(Sipsak.message(uri("sipsak-5"), "sip:sipsak@127.0.0.1", "application/sdp", "v=0"),
                uri("sipsak-5"), "udp");
        assertEquals(415, sdp.status(), sdp.describe());
        Sipsak.Reply broken = sipsak.send(Sipsak.message(uri("sipsak-5"), "sip:sipsak@127.0.0.1", "application/json",
                "{\"type\":"), uri("sipsak-5"), "udp");
        assertEquals(400, broken.status(), broken.describe());
    }
}
