package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.web.TestBridge;

/**
 * Two headless Chromium pages with the socket.io-client 1.7.4 and 2.5.0 browser builds, as the bridge serves them
 * ({@code /socket.io/<version>/socket.io.js}), relay messages on a channel over polling only: the browser's XHR2
 * transport gets every answer in Engine.IO 3's binary payload framing, and socket.io-client 1.x posts its text payloads
 * with the UTF-8 layer (docs/socketio.md, "Engine.IO 3 in detail"); and the same over JSONP polling
 * ({@code forceJSONP}). Text beyond ASCII crosses both ways.
 */
class BrowserPollingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path PAGES = Path.of("src/test/resources/socketio-pages").toAbsolutePath();

    /** One pair of browsers for the class (each start costs seconds): every test loads its page into both anew. */
    @RegisterExtension
    static final ChromiumExtension BROWSERS = new ChromiumExtension();
    private static ChromiumPage alice;
    private static ChromiumPage bob;

    @AfterAll
    static void forgetPages() {
        alice = null; // quit by the extension
        bob = null;
    }

    /** Loads {@code url} into {@code page}'s browser, or into a new browser if there is none yet; returns the page. */
    private static ChromiumPage load(ChromiumPage page, String url) {
        if (page == null) {
            return BROWSERS.chromium().open(url);
        }
        page.navigate(url);
        return page;
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"2.5.0", "1.7.4"})
    void twoPagesRelayOverBinaryPolling(String version) throws Exception {
        relay(version, false);
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"2.5.0", "1.7.4"})
    void twoPagesRelayOverJsonpPolling(String version) throws Exception {
        relay(version, true);
    }

    private void relay(String version, boolean jsonp) throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + PAGES + "\"\n")) {
            String page = bridge.http("/relay.html?v=" + version + "&channel=browser-" + version + (jsonp ? "&jsonp=1" : "")).toString();
            alice = load(alice, page + "&name=alice");
            bob = load(bob, page + "&name=bob");
            for (ChromiumPage p : new ChromiumPage[] {alice, bob}) {
                p.waitFor("t.connected || t.errors.length", WAIT);
                assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
                if (jsonp) {
                    assertEquals(true, p.eval("return t.jsonp"), "forceJSONP: script tags and form posts");
                } else {
                    assertEquals(true, p.eval("return t.binary"), "an XHR2 transport without b64: binary framing");
                }
                assertEquals("polling", p.eval("return t.transport"));
            }

            alice.eval("send(arguments[0])", "hi \u00e9\u2603\ud83d\ude00 from 1.x/2.x");
            bob.waitFor("t.received.length >= 1 || t.errors.length", WAIT);
            assertEquals("{\"sender\":\"alice\",\"channel\":\"browser-" + version + "\",\"message\":\"hi \u00e9\u2603\ud83d\ude00 from 1.x/2.x\"}",
                    bob.eval("return JSON.stringify(t.received[0])"));
            alice.waitFor("t.acks && t.acks.length >= 1", WAIT);
            assertEquals("[null]", alice.eval("return JSON.stringify(t.acks)"), "the ack of a relayed message is ack(null)");

            bob.eval("send(arguments[0])", "back \u00fc\u00df");
            alice.waitFor("t.received.length >= 1 || t.errors.length", WAIT);
            assertEquals("{\"sender\":\"bob\",\"channel\":\"browser-" + version + "\",\"message\":\"back \u00fc\u00df\"}",
                    alice.eval("return JSON.stringify(t.received[0])"));
            assertEquals(1L, bob.eval("return t.received.length"), "the sender does not hear itself");
            assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
            assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
        }
    }
}
