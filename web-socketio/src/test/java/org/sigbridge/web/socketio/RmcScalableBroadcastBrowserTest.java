package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.web.TestBridge;

/**
 * RTCMultiConnection 3.7.1's scalable broadcast in headless Chromium pages (docs/socketio.md, "Scalable broadcast"),
 * with the library's npm dist ({@link BrowserLibraries}) and a page written as the library's Scalable-Broadcast demo
 * ({@code rmc-broadcast.html}): the first page's {@code join-broadcast} makes it the initiator
 * ({@code start-broadcasting}; it opens the broadcast's room), the second is told to take the broadcast from it
 * ({@code join-broadcaster}), joins, and the two exchange text on a real data channel; the initiator hears the viewer
 * count; and a tree of three levels (broadcaster, relayer, viewer), the second viewer taking the broadcast from the
 * first. Needs a loopback-only network namespace ({@code unshare -n}), as the project's test command provides.
 */
class RmcScalableBroadcastBrowserTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @RegisterExtension
    static final ChromiumExtension BROWSERS = new ChromiumExtension();

    @TempDir
    static Path pages;

    @BeforeAll
    static void libraries() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-socketio verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        BrowserLibraries.installRmcBroadcast(pages);
    }

    @Test
    void aViewerIsToldWhomToTakeTheBroadcastFromAndTalksToItOnTheDataChannel() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String broadcast = "bc-" + Long.toHexString(System.nanoTime());
            String viewerId = "viewer-" + broadcast;
            ChromiumPage broadcaster = BROWSERS.chromium().open(bridge.http("/rmc-broadcast.html?user=" + broadcast).toString());
            ChromiumPage viewer = BROWSERS.chromium().open(bridge.http("/rmc-broadcast.html?user=" + viewerId).toString());
            for (ChromiumPage p : new ChromiumPage[] {broadcaster, viewer}) {
                p.waitFor("window.t && ((t.ready && t.socket) || t.errors.length)", CALL);
                assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
            }
            broadcaster.eval("start(arguments[0])", broadcast);
            broadcaster.waitFor("t.started !== null", CALL);
            assertEquals(true, broadcaster.eval("return t.started"), "start-broadcasting, then open-room of the broadcast");

            viewer.eval("start(arguments[0])", broadcast);
            viewer.waitFor("t.from !== null", CALL);
            assertEquals(broadcast, viewer.eval("return t.from"), "join-broadcaster names the initiator");
            viewer.waitFor("t.received.length || t.errors.length", CALL);
            broadcaster.waitFor("t.received.length || t.errors.length", CALL);
            assertEquals("[\"hello from " + broadcast + "\"]", viewer.eval("return JSON.stringify(t.received)"), "peer to peer");
            assertEquals("[\"hello from " + viewerId + "\"]", broadcaster.eval("return JSON.stringify(t.received)"), "peer to peer");
            assertEquals("[0,1]", broadcaster.eval("return JSON.stringify(t.viewers)"), "number-of-broadcast-viewers-updated");
            assertEquals("[]", viewer.eval("return JSON.stringify(t.errors)"));
            assertEquals("[]", broadcaster.eval("return JSON.stringify(t.errors)"));
        }
    }

    /**
     * Three levels: with one receiver per relayer (the page's {@code maxRelayLimitPerUser = 1}) the first viewer takes
     * the broadcast from the initiator and says {@code can-relay-broadcast} once it receives, as the demo does; the
     * initiator has no slot left, so the second viewer takes the broadcast from the first (docs/socketio.md, "Scalable
     * broadcast": the first viewer that said it can relay, with a slot). Each link is a real data channel with text both
     * ways; the second viewer never connects to the initiator.
     */
    @Test
    void aSecondViewerTakesTheBroadcastFromTheFirstAndTalksToItOnTheDataChannel() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String broadcast = "tree-" + Long.toHexString(System.nanoTime());
            String relayId = "relay-" + broadcast;
            String viewerId = "viewer-" + broadcast;
            ChromiumPage broadcaster = BROWSERS.chromium().open(bridge.http("/rmc-broadcast.html?user=" + broadcast).toString());
            ChromiumPage relay = BROWSERS.chromium().open(bridge.http("/rmc-broadcast.html?user=" + relayId).toString());
            ChromiumPage viewer = BROWSERS.chromium().open(bridge.http("/rmc-broadcast.html?user=" + viewerId).toString());
            try {
                for (ChromiumPage p : new ChromiumPage[] {broadcaster, relay, viewer}) {
                    p.waitFor("window.t && ((t.ready && t.socket) || t.errors.length)", CALL);
                    assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
                }
                broadcaster.eval("start(arguments[0])", broadcast);
                broadcaster.waitFor("t.started !== null", CALL);
                assertEquals(true, broadcaster.eval("return t.started"), "start-broadcasting, then open-room of the broadcast");

                relay.eval("start(arguments[0])", broadcast);
                assertEquals(broadcast, relay.waitFor("t.from", CALL), "join-broadcaster names the initiator");
                relay.waitFor("t.received.length || t.errors.length", CALL);
                assertEquals("[\"hello from " + broadcast + "\"]", relay.eval("return JSON.stringify(t.received)"), "first level");
                relay.waitFor("t.relaying || t.errors.length", CALL); // its can-relay-broadcast is served before the next viewer joins

                viewer.eval("start(arguments[0])", broadcast);
                assertEquals(relayId, viewer.waitFor("t.from", CALL), "join-broadcaster names the first viewer: the initiator has no slot left; "
                        + "logs: " + broadcaster.eval("return JSON.stringify(t.logs)") + relay.eval("return JSON.stringify(t.logs)") + viewer.eval("return JSON.stringify(t.logs)"));
                viewer.waitFor("t.received.length || t.errors.length", CALL);
                relay.waitFor("t.received.length >= 2 || t.errors.length", CALL);
                assertEquals("[\"hello from " + relayId + "\"]", viewer.eval("return JSON.stringify(t.received)"), "second level");
                assertEquals("[\"hello from " + broadcast + "\",\"hello from " + viewerId + "\"]", relay.eval("return JSON.stringify(t.received)"),
                        "the relayer hears the initiator, then its own receiver");
                assertEquals("[\"" + relayId + "\"]", viewer.eval("return JSON.stringify(t.open)"), "the second viewer's only peer is the relayer");
                assertEquals("[\"" + broadcast + "\",\"" + viewerId + "\"]", relay.eval("return JSON.stringify(t.open)"));
                assertEquals("[0,1,2]", broadcaster.waitFor("t.viewers.length >= 3 && JSON.stringify(t.viewers)", CALL),
                        "number-of-broadcast-viewers-updated counts the whole tree");
                assertEquals("[\"" + relayId + "\"]", broadcaster.eval("return JSON.stringify(t.open)"), "the initiator serves the first viewer only");
                for (ChromiumPage p : new ChromiumPage[] {broadcaster, relay, viewer}) {
                    assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
                }
            } finally {
                for (ChromiumPage p : new ChromiumPage[] {viewer, relay, broadcaster}) {
                    p.close();
                }
            }
        }
    }
}
