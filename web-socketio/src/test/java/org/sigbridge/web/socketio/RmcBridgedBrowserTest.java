package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.web.WebAdapter;

/**
 * The RTCMultiConnection call of {@link WebRtcLibrariesBrowserTest} with the two pages on two bridges whose {@code rmc-*}
 * rooms meet in one real Prosody MUC room: the joiner's bridge finds the room by the hub's presence probe, the
 * participation request crosses as a room message, and the per-user offers, answers and candidates cross by addressed
 * delivery (MUC private messages, docs/design.md §4.7). Needs a loopback-only network namespace ({@code unshare -n}).
 */
class RmcBridgedBrowserTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    @Test
    void rtcMultiConnectionPagesOnTwoBridgesJoinedThroughOneMucRoomTalkOnTheDataChannel() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-socketio verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        BrowserLibraries.installRmc(pages);
        try (SigBridge east = bridge(PROSODY.server(), "east", "alice");
             SigBridge west = bridge(PROSODY.server(), "west", "bob")) {
            String room = "rmc-" + Long.toHexString(System.nanoTime());
            WebRtcLibrariesBrowserTest.rmcCall(browsers.chromium(), url(east), url(west), room);
        }
    }

    private static String url(SigBridge bridge) {
        return "http://127.0.0.1:" + ((WebAdapter) bridge.adapter("web").orElseThrow()).port() + "/rmc.html";
    }

    /** A bridge whose {@code rmc-*} channels go to {@code {channel}@conference.localhost}; the rest stay local. */
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
                  - match: "rmc-*"
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
}
