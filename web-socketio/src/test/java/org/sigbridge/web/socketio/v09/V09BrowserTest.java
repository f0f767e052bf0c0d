package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.web.TestBridge;

/**
 * Two headless Chromium pages load the socket.io-client 0.9.16 browser bundle from the bridge
 * ({@code /socket.io/1/socket.io.js}) and talk socketio-over-nodejs over the 0.9 websocket transport
 * (docs/socketio-09.md): each hears the other's message ({@code data} unwrapped, its own not), and {@code user-left};
 * and two Reliable-Signaler pages with its real {@code signaler.js}, also served by the bridge.
 */
class V09BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    @BeforeEach
    void pages() throws Exception {
        for (String name : new String[] {"page09.html", "reliable.html"}) {
            try (InputStream page = V09BrowserTest.class.getResourceAsStream("/v09/" + name)) {
                Files.write(pages.resolve(name), page.readAllBytes());
            }
        }
    }

    @Test
    void twoZeroNinePagesExchangeMessagesOverTheWebsocketTransport() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            ChromiumPage alice = browsers.chromium().open(bridge.http("/page09.html?name=alice&channel=room9").toString());
            ChromiumPage bob = browsers.chromium().open(bridge.http("/page09.html?name=bob&channel=room9").toString());
            alice.waitFor("window.t && t.connected", WAIT);
            bob.waitFor("window.t && t.connected", WAIT);
            assertEquals("websocket", alice.eval("return t.transport"));
            assertEquals("websocket", bob.eval("return t.transport"));

            alice.eval("say('hi bob')");
            bob.waitFor("t.received.length > 0", WAIT);
            bob.eval("say('hi alice')");
            alice.waitFor("t.received.length > 0", WAIT);
            assertEquals("[{\"sender\":\"alice\",\"message\":\"hi bob\"}]", bob.eval("return JSON.stringify(t.received)"));
            assertEquals("[{\"sender\":\"bob\",\"message\":\"hi alice\"}]", alice.eval("return JSON.stringify(t.received)"));

            bob.eval("leave()");
            assertEquals("bob", alice.waitFor("t.left[0]", WAIT));
            assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
            assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
        }
    }

    /**
     * The real Reliable-Signaler client: the joiner asks for the room before it exists and is answered when the owner
     * keeps it in the server; then both directions of the channel carry messages, the sender not hearing its own.
     */
    @Test
    void twoReliableSignalerPagesFindTheirRoomAndExchangeMessages() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            ChromiumPage joiner = browsers.chromium().open(bridge.http("/reliable.html?name=bob&role=joiner").toString());
            joiner.waitFor("window.t && t.transport", WAIT);
            assertEquals(null, joiner.eval("return t.found"), "no room yet: no answer (there is never a negative one)");
            ChromiumPage owner = browsers.chromium().open(bridge.http("/reliable.html?name=alice&role=owner").toString());
            owner.waitFor("window.t && t.created", WAIT);
            assertEquals("rs-room", joiner.waitFor("t.found", WAIT), "get-session-info answered when the room appeared");
            assertEquals("websocket", owner.eval("return t.transport"));

            joiner.eval("say({sdp: 'offer'})");
            owner.waitFor("t.received.length > 0", WAIT);
            owner.eval("say({sdp: 'answer'})");
            joiner.waitFor("t.received.length > 0", WAIT);
            assertEquals("[{\"sdp\":\"offer\"}]", owner.eval("return JSON.stringify(t.received)"));
            assertEquals("[{\"sdp\":\"answer\"}]", joiner.eval("return JSON.stringify(t.received)"));
        }
    }
}
