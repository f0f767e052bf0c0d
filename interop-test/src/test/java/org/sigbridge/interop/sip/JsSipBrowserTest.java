package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.interop.NpmClients;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.LineClient;

/**
 * A browser SIP user agent, JsSIP 3.13 (npm) in headless Chromium, registered at a real Kamailio over
 * SIP-over-WebSocket (RFC 7118, Kamailio's {@code websocket} module), exchanging MESSAGE with a sigbridge channel
 * whose envelopes travel over UDP between Kamailio and the bridge.
 */
@Timeout(90)
class JsSipBrowserTest {

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension(b -> b.webSocket());

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @Test
    void aJsSipPageRegisteredOverWebSocketExchangesMessagesWithABrowserOnTheBridge() throws Exception {
        Path page = preparePage();
        String yaml = """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: bridge
                    request-timeout: 5s
                routes:
                  - match: "*"
                    to: sip
                    target: sip:dave@localhost
                    options: {content: text}
                """;
        int kport = KAMAILIO.server().port();
        try (SipBridge bridge = SipBridge.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(kport)));
             ChromiumPage jssip = CHROMIUM.chromium().open(page.toUri() + "?ws=ws://127.0.0.1:" + kport + "&user=dave")) {
            jssip.waitFor("window.state && (window.state.registered || window.state.errors.length > 0)", WAIT);
            assertEquals(true, jssip.eval("return window.state.registered;"),
                    "JsSIP did not register: " + jssip.eval("return JSON.stringify(window.state);"));
            RecordingEndpoint browser = bridge.browser("browser-3", "room3");

            bridge.publish(browser, "room3", "\"hello jssip\"");
            jssip.waitFor("window.received.length > 0", WAIT);
            assertEquals("sip:browser-3@localhost", jssip.eval("return window.received[0].from;"));
            assertEquals("hello jssip", jssip.eval("return window.received[0].body;"));
            assertTrue(String.valueOf(jssip.eval("return window.received[0].type;")).startsWith("text/plain"));

            jssip.eval("window.sendMessage('sip:room3@localhost', 'hello from jssip');");
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("room3", got.channel());
            assertEquals("\"dave\"", got.sender().json());
            assertEquals("\"hello from jssip\"", got.message().json());
            jssip.waitFor("window.state.sent.length > 0", WAIT);
            assertEquals(List.of(200L), jssip.eval("return window.state.sent;"));
            browser.failures().expectNothing(Duration.ofMillis(300));
        }
    }

    /** Bundles JsSIP for the browser and puts the page next to it under target/; answers the page. */
    private static Path preparePage() throws Exception {
        NpmClients.ensureInstalled();
        Path dir = Files.createDirectories(Path.of("target", "jssip-page").toAbsolutePath());
        try (LineClient bundler = LineClient.start("bundle-jssip",
                List.of("node", "bundle-jssip.cjs", dir.resolve("jssip-bundle.js").toString()), Map.of(), NpmClients.DIR)) {
            assertEquals(0, bundler.awaitExit(Duration.ofSeconds(30)), bundler.output());
        }
        return Files.copy(NpmClients.DIR.resolve("jssip-page.html"), dir.resolve("jssip-page.html"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
