package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.bridge.BridgedPair;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.web.TestBridge;

/**
 * Two headless Chromium pages with the real npm {@code peerjs} 1.5.5 client ({@link PeerJsClient}) open a data
 * connection and a media call through sigbridge's PeerJS server: on one bridge, and on two bridges whose
 * {@code peerjs/*} channels meet in one Prosody MUC room (the {@code dst} behind the link is reached by addressed
 * delivery). Needs a loopback-only network namespace ({@code unshare -n}), as the project's test command provides.
 */
class PeerJsBrowserTest {

    private static final Duration CALL = Duration.ofSeconds(20);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    @BeforeEach
    void pages() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-peerjs verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        PeerJsClient.installInto(pages);
    }

    @Test
    void twoPeerJsPagesOpenADataConnectionAndACallThroughOneBridge() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            talk(bridge.http("/peer.html").toString(), bridge.http("/peer.html").toString(), () -> { });
        }
    }

    @Test
    void twoPeerJsPagesOnTwoBridgesJoinedThroughOneMucRoomOpenADataConnection() throws Exception {
        try (BridgedPair pair = BridgedPair.throughProsody(PROSODY.server(), "peerjs/*", "    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            // both bridges must be in the MUC room before the caller's offer is addressed to the answerer on the other one
            talk(pair.eastHttp("/peer.html").toString(), pair.westHttp("/peer.html").toString(), () -> pair.awaitBothInRoom("peerjs/peerjs", CALL));
        }
    }

    /**
     * The answering page takes a fixed id; the calling page gets its id from {@code GET /peerjs/id}, connects to the
     * first, and both directions of the data connection carry text; then it calls with audio and both hear.
     */
    private void talk(String answererBase, String callerBase, BeforeCall beforeCall) throws Exception {
        String bob = "bob-" + Long.toHexString(System.nanoTime());
        ChromiumPage answerer = browsers.chromium().open(answererBase + "?id=" + bob + "&say=back");
        answerer.waitFor("window.t && window.t.id", CALL);
        ChromiumPage caller = browsers.chromium().open(callerBase + "?say=hi%20%C3%A9");
        String callerId = (String) caller.waitFor("window.t && window.t.id", CALL);
        assertTrue(callerId.matches("[0-9a-f-]{36}"), "an id from GET /peerjs/id: " + callerId);
        beforeCall.run();

        caller.eval("connectTo(arguments[0])", bob);
        try {
            caller.waitFor("t.received.indexOf('back from " + bob + "') >= 0 || t.errors.length", CALL);
            answerer.waitFor("t.received.indexOf('hi \u00e9 from " + callerId + "') >= 0 || t.errors.length", CALL);
        } catch (AssertionError e) {
            // what each page saw (data connections opened, texts received), for a failure's story
            throw new AssertionError(e.getMessage() + "; caller " + caller.eval("return JSON.stringify(t)") + "; answerer "
                    + answerer.eval("return JSON.stringify(t)"), e);
        }
        assertEquals("[]", caller.eval("return JSON.stringify(t.errors)").toString());
        assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());

        caller.eval("callTo(arguments[0])", bob);
        caller.waitFor("t.remoteAudio", CALL);
        answerer.waitFor("t.remoteAudio", CALL);
    }

    /** What to wait for once both pages have their ids, before the caller connects. */
    @FunctionalInterface
    private interface BeforeCall {
        void run() throws Exception;
    }
}
