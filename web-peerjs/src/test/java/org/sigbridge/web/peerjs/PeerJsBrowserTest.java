package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.WebAdapter;

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
            talk(bridge.http("/peer.html").toString(), bridge.http("/peer.html").toString());
        }
    }

    @Test
    void twoPeerJsPagesOnTwoBridgesJoinedThroughOneMucRoomOpenADataConnection() throws Exception {
        try (SigBridge east = bridge(PROSODY.server(), "east", "alice");
             SigBridge west = bridge(PROSODY.server(), "west", "bob")) {
            talk(url(east), url(west));
        }
    }

    /**
     * The answering page takes a fixed id; the calling page gets its id from {@code GET /peerjs/id}, connects to the
     * first, and both directions of the data connection carry text; then it calls with audio and both hear.
     */
    private void talk(String answererBase, String callerBase) {
        String bob = "bob-" + Long.toHexString(System.nanoTime());
        ChromiumPage answerer = browsers.chromium().open(answererBase + "?id=" + bob + "&say=back");
        answerer.waitFor("window.t && window.t.id", CALL);
        ChromiumPage caller = browsers.chromium().open(callerBase + "?say=hi%20%C3%A9");
        String callerId = (String) caller.waitFor("window.t && window.t.id", CALL);
        assertTrue(callerId.matches("[0-9a-f-]{36}"), "an id from GET /peerjs/id: " + callerId);

        caller.eval("connectTo(arguments[0])", bob);
        caller.waitFor("t.received.indexOf('back from " + bob + "') >= 0 || t.errors.length", CALL);
        answerer.waitFor("t.received.indexOf('hi \u00e9 from " + callerId + "') >= 0 || t.errors.length", CALL);
        assertEquals("[]", caller.eval("return JSON.stringify(t.errors)").toString());
        assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());

        caller.eval("callTo(arguments[0])", bob);
        caller.waitFor("t.remoteAudio", CALL);
        answerer.waitFor("t.remoteAudio", CALL);
    }

    /** A bridge whose {@code peerjs/*} channels go to {@code {channel}@conference.localhost}; the rest stay local. */
    private SigBridge bridge(ProsodyServer prosody, String name, String user) throws Exception {
        String yaml = """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    demo: false
                    static-dir: "%s"
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: ${XMPP_PORT}
                    domain: %s
                    username: %s
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                    room-grace: 1s
                routes:
                  - match: "peerjs/*"
                    to: xmpp
                    target: "{channel}@%s"
                  - match: "*"
                    to: local
                """.formatted(name, pages.toAbsolutePath(), prosody.domain(), user, prosody.mucService(), prosody.mucService());
        Map<String, String> env = Map.of("XMPP_PORT", Integer.toString(prosody.port()), "XMPP_PASSWORD", ProsodyServer.PASSWORD);
        SigBridge bridge = SigBridge.create(new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(yaml, name + ".yml"));
        bridge.start();
        return bridge;
    }

    private static String url(SigBridge bridge) {
        return "http://127.0.0.1:" + ((WebAdapter) bridge.adapter("web").orElseThrow()).port() + "/peer.html";
    }
}
