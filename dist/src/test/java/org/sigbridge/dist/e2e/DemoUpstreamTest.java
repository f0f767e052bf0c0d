package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * The demo page on a channel routed upstream, in headless Chromium: the route names the room or AOR as the
 * upstream spells it, a native XMPP user appears in the roster and what a native XMPP user or a SIP user agent
 * sends shows in the page. Screenshots go to {@code target/demo-screenshots/}. Needs a loopback-only network
 * namespace.
 */
@Timeout(60)
class DemoUpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    private static String demoWeb(String name) {
        return """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    demo: true
                """.formatted(name);
    }

    private static void screenshot(ChromiumPage page, String name) throws Exception {
        Path dir = Path.of("target", "demo-screenshots");
        Files.createDirectories(dir);
        page.driver().manage().window().setSize(new Dimension(1000, 1500));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) page.driver()).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aNativeXmppUserIsInTheRosterAndWhatTheySayIsShown() throws Exception {
        BrowserCall.requireLoopbackOnlyNetwork();
        ProsodyServer prosody = PROSODY.server();
        String yaml = demoWeb("demo-east") + """
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: ${XMPP_PORT}
                    domain: %s
                    username: alice
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                routes:
                  - match: "*"
                    to: xmpp
                """.formatted(prosody.domain(), prosody.mucService());
        try (RunningBridge bridge = RunningBridge.start(yaml, Map.of("XMPP_PORT", Integer.toString(prosody.port()),
                "XMPP_PASSWORD", ProsodyServer.PASSWORD))) {
            ChromiumPage page = browsers.chromium().open(bridge.http("/?channel=Demo/Room 1&name=ann&gum=1&autojoin=1"));
            page.waitFor("window.demo.joined === true", WAIT);
            assertEquals("xmpp → demo\\2froom\\201@" + prosody.mucService(), page.eval("return document.getElementById('route').textContent;"),
                    "the room JID as Prosody knows it (XEP-0106)");

            try (NativeXmppUser bob = NativeXmppUser.join(prosody, "bob", "demo\\2froom\\201", "bob")) {
                page.waitFor("document.getElementById('roster').textContent.indexOf('bob — via xmpp') >= 0", WAIT);
                bob.say("hello from xmpp");
                page.waitFor("window.demo.native.indexOf('hello from xmpp') >= 0", WAIT);
                page.waitFor("document.getElementById('log').textContent.indexOf('hello from xmpp') >= 0", WAIT);
                screenshot(page, "xmpp-native-user");
            }
        }
    }

    @Test
    void withPerUserOccupantsEachTabIsItsOwnOccupantUnderTheNameItChose() throws Exception {
        BrowserCall.requireLoopbackOnlyNetwork();
        ProsodyServer prosody = PROSODY.server();
        String yaml = demoWeb("demo-per-user") + """
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: ${XMPP_PORT}
                    domain: %s
                    username: alice
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                    nick: relay
                    occupants: per-user
                routes:
                  - match: "*"
                    to: xmpp
                """.formatted(prosody.domain(), prosody.mucService());
        try (RunningBridge bridge = RunningBridge.start(yaml, Map.of("XMPP_PORT", Integer.toString(prosody.port()),
                "XMPP_PASSWORD", ProsodyServer.PASSWORD));
             NativeXmppUser bob = NativeXmppUser.join(prosody, "bob", "team-pu", "bob")) {
            ChromiumPage ann = browsers.chromium().open(bridge.http("/?channel=team-pu&name=Ann&gum=1&autojoin=1"));
            ChromiumPage ben = browsers.chromium().open(bridge.http("/?channel=team-pu&name=Ben&gum=1&autojoin=1"));
            ann.waitFor("window.demo.joined === true", WAIT);
            ben.waitFor("window.demo.joined === true", WAIT);
            bob.awaitOccupant("Ann", WAIT); // each tab's hello went out through an occupant of its own
            bob.awaitOccupant("Ben", WAIT);
            assertEquals(Set.of("bob", "relay", "Ann", "Ben"), bob.occupantNicks(), "two tabs, two occupants, plus the bridge's");
            screenshot(ben, "xmpp-per-user");
        }
    }

    @Test
    void aMessageFromASipUserAgentIsShown() throws Exception {
        BrowserCall.requireLoopbackOnlyNetwork();
        String yaml = demoWeb("demo-sip") + """
                  sip:
                    type: sip
                    listen-port: ${SIP_PORT}
                    domain: %s
                    proxy: 127.0.0.1:${KAMAILIO_PORT}
                    request-timeout: 2s
                routes:
                  - match: "*"
                    to: sip
                """.formatted(KAMAILIO.server().domain());
        try (RunningBridge bridge = RunningBridge.start(yaml, Map.of("SIP_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KAMAILIO_PORT", Integer.toString(KAMAILIO.server().port())));
             SipUserAgent carol = SipUserAgent.start("carol", KAMAILIO.server().port())) {
            ChromiumPage page = browsers.chromium().open(bridge.http("/?channel=desk-1&name=ann&gum=1&autojoin=1"));
            page.waitFor("window.demo.joined === true", WAIT);
            assertEquals("sip → sip:desk-1@" + KAMAILIO.server().domain(), page.eval("return document.getElementById('route').textContent;"));
            bridge.awaitChannelRegistered("desk-1", WAIT);

            assertEquals(200, carol.sendMessage("desk-1", "text/plain", "hello from SIP", SipTransport.UDP, WAIT));

            page.waitFor("window.demo.native.indexOf('hello from SIP') >= 0", WAIT);
            String log = (String) page.eval("return document.getElementById('log').textContent;");
            assertTrue(log.contains("(sip → sip:desk-1@" + KAMAILIO.server().domain() + ") hello from SIP"), log);
            screenshot(page, "sip-message");
        }
    }
}
