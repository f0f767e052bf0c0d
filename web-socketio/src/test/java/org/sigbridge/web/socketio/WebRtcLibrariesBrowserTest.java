package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.web.TestBridge;

/**
 * Real WebRTC calls between two headless Chromium pages, signaled by sigbridge's socket.io families with the
 * libraries' own browser builds ({@link BrowserLibraries}): RTCMultiConnection 3.7.1 opens and joins a room over
 * socket.io 4 (the bridge's client bundle) and the two pages exchange text on the data channel; SimpleWebRTC 3.0.2
 * (its bundle carries socket.io-client 1.x, Engine.IO 3) joins one room from each page and the peers exchange text on
 * the {@code simplewebrtc} data channel. Needs a loopback-only network namespace ({@code unshare -n}), as the project's
 * test command provides.
 */
class WebRtcLibrariesBrowserTest {

    static final Duration CALL = Duration.ofSeconds(30);

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    @BeforeEach
    void loopbackOnly() {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-socketio verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
    }

    @Test
    void rtcMultiConnectionPagesOpenAndJoinARoomAndTalkOnTheDataChannel() throws Exception {
        BrowserLibraries.installRmc(pages);
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String room = "rmc-" + Long.toHexString(System.nanoTime());
            rmcCall(browsers.chromium(), bridge.http("/rmc.html").toString(), bridge.http("/rmc.html").toString(), room);
        }
    }

    @Test
    void simpleWebRtcPagesJoinARoomAndTalkOnTheDataChannel() throws Exception {
        BrowserLibraries.installSimpleWebRtc(pages);
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String room = "swrtc-" + Long.toHexString(System.nanoTime());
            ChromiumPage alice = browsers.chromium().open(bridge.http("/simplewebrtc.html?name=alice").toString());
            ChromiumPage bob = browsers.chromium().open(bridge.http("/simplewebrtc.html?name=bob").toString());
            for (ChromiumPage p : new ChromiumPage[] {alice, bob}) {
                p.waitFor("t.ready || t.errors.length", CALL);
                assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
            }
            alice.eval("join(arguments[0])", room);
            alice.waitFor("t.joined !== null", CALL);
            assertEquals(true, alice.eval("return t.joined"));
            bob.eval("join(arguments[0])", room); // bob finds alice in the join answer and calls her
            bob.waitFor("t.received.length || t.errors.length", CALL);
            alice.waitFor("t.received.length || t.errors.length", CALL);
            assertEquals("[\"hello from alice\"]", bob.eval("return JSON.stringify(t.received)"), "alice's text reached bob peer to peer");
            assertEquals("[\"hello from bob\"]", alice.eval("return JSON.stringify(t.received)"), "bob's text reached alice peer to peer");
            assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
            assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
        }
    }

    /** Opens the room on the first page, joins it from the second, and waits for the text each says on the data channel. */
    static void rmcCall(Chromium chromium, String ownerPage, String joinerPage, String room) {
        ChromiumPage alice = chromium.open(ownerPage + "?user=alice-" + room);
        ChromiumPage bob = chromium.open(joinerPage + "?user=bob-" + room);
        for (ChromiumPage p : new ChromiumPage[] {alice, bob}) {
            p.waitFor("t.ready || t.errors.length", CALL);
            assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
        }
        alice.eval("openRoom(arguments[0])", room);
        alice.waitFor("t.opened !== null", CALL);
        assertEquals(true, alice.eval("return t.opened"), "open-room");
        bob.eval("joinRoom(arguments[0])", room);
        bob.waitFor("t.joined !== null", CALL);
        assertEquals(true, bob.eval("return t.joined"), "join-room");
        bob.waitFor("t.received.length || t.errors.length", CALL);
        alice.waitFor("t.received.length || t.errors.length", CALL);
        assertEquals("[\"hello from alice-" + room + "\"]", bob.eval("return JSON.stringify(t.received)"), "alice's text reached bob peer to peer");
        assertEquals("[\"hello from bob-" + room + "\"]", alice.eval("return JSON.stringify(t.received)"), "bob's text reached alice peer to peer");
        assertEquals("[\"alice-" + room + "\"]", bob.eval("return JSON.stringify(t.open)"));
        assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
        assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
    }
}
