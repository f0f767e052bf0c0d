package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.web.WebAdapter;
import org.sigbridge.xmpp.XmppAdapter;

/**
 * The Core ({@code core.html}) and the classic ({@code classic.html}) SignalR test pages of {@link SignalRBrowserTest}
 * make a real WebRTC data channel with one page on bridge {@code east} and the other on bridge {@code west}, both
 * bridges routing {@code room-*} channels to one Prosody MUC room (docs/signalr.md#channels).
 *
 * <p>The pages are unchanged. As docs/signalr.md states, a bridge hears a channel only once a connection of the hub on
 * that bridge has sent on it; the answering page only listens until the offer arrives, so the test first makes it
 * {@code Send} once through the page's own {@code openSignalingChannel} sender (a message the pages ignore) and waits
 * until its bridge has joined the MUC room before the offering page opens. Prosody and Chromium start once for the class;
 * needs a loopback-only network namespace ({@code unshare -n}), as the project's test command provides.
 */
class SignalRBridgedBrowserTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    static final ChromiumExtension BROWSERS = new ChromiumExtension();

    private static Path pages;
    private static SigBridge east;
    private static SigBridge west;

    @BeforeAll
    static void bridges() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-signalr verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        pages = Files.createTempDirectory("signalr-bridged-pages");
        BrowserClients.installCoreInto(pages);
        BrowserClients.installClassicInto(pages);
        east = bridge(PROSODY.server(), "east", "alice");
        west = bridge(PROSODY.server(), "west", "bob");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (east != null) {
                east.close();
            }
        } finally {
            if (west != null) {
                west.close();
            }
        }
        try (var files = Files.list(pages)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(pages);
    }

    @Test
    void coreSignalRPagesOnTwoBridgesOpenADataChannelThroughOneMucRoom() throws Exception {
        String room = "room-" + Long.toHexString(System.nanoTime());
        call("/core.html?room=" + room, room);
    }

    @Test
    void classicSignalRPagesOnTwoBridgesOpenADataChannelThroughOneMucRoom() throws Exception {
        String room = "room-" + Long.toHexString(System.nanoTime());
        call("/classic.html?room=" + room, room);
    }

    private static void call(String page, String room) throws Exception {
        try (ChromiumPage answerer = BROWSERS.chromium().open(url(west, page + "&role=answer"))) {
            ChromiumPage offerer = offer(answerer, page, room);
            try (offerer) {
                answerer.waitFor("t.received.indexOf('hi from offer') >= 0 || t.errors.length", CALL);
                assertEquals("[]", offerer.eval("return JSON.stringify(t.errors)").toString());
                assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());
                assertEquals("connected", offerer.eval("return t.state"));
                assertTrue(seesXmpp(east, room), "east took part in the MUC room of " + room);
            }
        }
    }

    /** Readies the answering page on west (its first Send), then opens the offering page on east. */
    private static ChromiumPage offer(ChromiumPage answerer, String page, String room) throws Exception {
        answerer.waitFor("window.t && (t.connected || t.errors.length)", CALL);
        assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());
        // the documented condition: the listening page's first Send makes its bridge hear the channel
        long joins = joins(west);
        answerer.eval("signaling.send({ sender: me, ready: true }); return null");
        Poll.until("west joined the MUC room of " + room, CALL, () -> joins(west) > joins);
        ChromiumPage offerer = BROWSERS.chromium().open(url(east, page + "&role=offer"));
        offerer.waitFor("t.received.indexOf('hi from answer') >= 0 || t.errors.length", CALL);
        return offerer;
    }

    private static long joins(SigBridge bridge) {
        return ((XmppAdapter) bridge.adapter("xmpp").orElseThrow()).stats().joins().sum();
    }

    private static boolean seesXmpp(SigBridge bridge, String room) {
        return bridge.hub().participants(room).stream().anyMatch(p -> p.adapter().equals("xmpp"));
    }

    private static String url(SigBridge bridge, String path) {
        int port = ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
        return URI.create("http://127.0.0.1:" + port + path).toString();
    }

    private static SigBridge bridge(ProsodyServer prosody, String name, String user) throws Exception {
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
                  - match: "room-*"
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
