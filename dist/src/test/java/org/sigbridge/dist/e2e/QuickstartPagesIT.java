package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.dist.SigbridgeProcess;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.XmppServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * The quick starts work verbatim: each page's marked shell blocks ({@link QuickstartPage}) run as written —
 * Prosody or Kamailio, the accounts, {@code bin/sigbridge} with the page's config, sipp — on free loopback ports
 * and in a private scratch directory given through the variables the pages document; then the test checks what
 * the page says you see. A WebSocket client on channel {@code demo} stands in for the demo tab.
 * {@code docs/quickstart-xmpp.md} and {@code docs/quickstart-sip.md}.
 */
@Timeout(180)
class QuickstartPagesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path ROOT = Path.of(System.getProperty("sigbridge.root", "..")); // failsafe sets it

    @TempDir
    Path dir;

    private static QuickstartPage page(String name, int expectedBlocks) throws Exception {
        QuickstartPage page = QuickstartPage.read(ROOT.resolve("docs").resolve(name));
        assertEquals(expectedBlocks, page.blocks().size(), "the marked blocks of " + name + ": " + page.blocks());
        return page;
    }

    @Test
    void xmppQuickstartLetsANativeUserSeeTheBrowsersSignalingAndAnswer() throws Exception {
        int xmpp = SigbridgeProcess.freeTcpPort();
        int web = SigbridgeProcess.freeTcpPort();
        Map<String, String> variables = Map.of("XMPP_PORT", Integer.toString(xmpp),
                "SIGBRIDGE_WEB_PORT", Integer.toString(web), "QUICKSTART_DIR", dir.toString());
        try (QuickstartShell shell = new QuickstartShell(ROOT, variables)) {
            List<SigbridgeProcess> servers = shell.runAll(page("quickstart-xmpp.md", 3));
            SigbridgeProcess bridge = servers.get(1);
            // The process says "ready" once it serves; the XMPP leg gets there on its own a moment later.
            java.util.function.Predicate<String> legReady = l -> l.contains("xmpp: ready (connected as bridge@localhost/");
            if (bridge.output().stream().noneMatch(legReady)) {
                bridge.awaitLine(legReady, WAIT);
            }

            // "Log in as alice@localhost (password alice-pass) ... and join the room demo@conference.localhost"
            try (NativeXmppUser alice = NativeXmppUser.join(new QuickstartProsody(xmpp), "alice", "demo", "alice");
                 WsClient tab = WsClient.envelopeOn(web, "demo")) {
                alice.awaitOccupant("sigbridge", WAIT); // "the room lists the bridge's occupant, sigbridge"
                String offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}";
                tab.sendEnvelope("qs-1", "tab-1", "demo", offer);
                Message seen = alice.next(WAIT);
                assertEquals(offer, seen.getBody(), "alice sees the offer as the page sent it");
                assertEquals("sigbridge", seen.getFrom().getResourceOrThrow().toString());

                alice.say("hello from alice");
                assertEnvelope("alice", "demo", "\"hello from alice\"", tab.nextEnvelope(WAIT));
            }
        }
    }

    @Test
    void sipQuickstartDeliversTheUserAgentsMessageToTheBrowser() throws Exception {
        Map<String, String> variables = Map.of("KAMAILIO_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "SIP_LISTEN_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "SIPP_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "SIGBRIDGE_WEB_PORT", Integer.toString(SigbridgeProcess.freeTcpPort()),
                "QUICKSTART_DIR", dir.toString());
        QuickstartPage page = page("quickstart-sip.md", 3);
        try (QuickstartShell shell = new QuickstartShell(ROOT, variables)) {
            // Kamailio and the bridge (the first two blocks); the sipp block comes after the tab joined.
            List<SigbridgeProcess> servers = shell.runAll(new QuickstartPage(page.file(), page.blocks().subList(0, 2)));
            SigbridgeProcess bridge = servers.get(1);
            try (WsClient tab = WsClient.envelopeOn(Integer.parseInt(variables.get("SIGBRIDGE_WEB_PORT")), "demo")) {
                // The demo says hello when it joins; the channel is then open on the bridge, which registers it.
                tab.sendEnvelope("qs-hello", "tab-1", "demo", "{\"type\":\"hello\",\"from\":\"tab-1\",\"name\":\"tab-1\"}");
                bridge.awaitLine(l -> l.contains("registered demo@localhost at 127.0.0.1:"), WAIT);
                shell.runAll(new QuickstartPage(page.file(), page.blocks().subList(2, 3)));
                assertEnvelope("carol", "demo", "\"hello from SIP\"", tab.nextEnvelope(WAIT));
            }
        }
    }

    /** The quick-start Prosody as the page configures it: plain text on loopback, alice's password from the page. */
    private record QuickstartProsody(int port) implements XmppServer {
        @Override
        public String domain() {
            return "localhost";
        }

        @Override
        public String mucService() {
            return "conference.localhost";
        }

        @Override
        public String password() {
            return "alice-pass";
        }

        @Override
        public Path certificateFile() {
            throw new IllegalStateException("the quick-start Prosody is plain text on loopback: it has no certificate");
        }

        @Override
        public X509TrustManager trustManager() {
            throw new IllegalStateException("the quick-start Prosody is plain text on loopback: it has no certificate");
        }
    }
}
