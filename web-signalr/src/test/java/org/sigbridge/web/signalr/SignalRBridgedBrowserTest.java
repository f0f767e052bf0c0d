package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.SigBridge;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.bridge.BridgedPair;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.xmpp.XmppAdapter;

/**
 * The Core ({@code core.html}) and the classic ({@code classic.html}) SignalR test pages of {@link SignalRBrowserTest}
 * make a real WebRTC data channel with one page on bridge {@code east} and the other on bridge {@code west}, both
 * bridges joined through one Prosody MUC room (docs/signalr.md#channels).
 *
 * <p>The pages are unchanged. Routed by hub ({@code signalr.route-by: hub}, the bridges routing {@code signalr/*} to
 * the MUC room), every connection hears its hub's channel from the moment it connects, so the answering page's bridge
 * joins the room at connect; the test only waits for that join before the offering page opens (routed by channel, the
 * default, the unchanged answering page would never hear the offer: docs/signalr.md#channels; channel routing across
 * bridges is {@link SignalRBridgedTest}'s). Prosody and Chromium start once for the class; needs a loopback-only
 * network namespace ({@code unshare -n}), as the project's test command provides.
 */
class SignalRBridgedBrowserTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    static final ChromiumExtension BROWSERS = new ChromiumExtension();

    private static Path pages;
    /** {@code route-by: hub}, {@code signalr/*} to the MUC room. */
    private static BridgedPair pair;

    @BeforeAll
    static void bridges() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-signalr verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        pages = Files.createTempDirectory("signalr-bridged-pages");
        BrowserClients.installCoreInto(pages);
        BrowserClients.installClassicInto(pages);
        pair = BridgedPair.throughProsody(PROSODY.server(), "signalr/*", """
                    static-dir: "%s"
                    signalr:
                      route-by: hub
                """.formatted(pages.toAbsolutePath()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        try (var files = Files.list(pages)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(pages);
    }

    @Test
    void coreSignalRPagesRoutedByHubOpenADataChannelAcrossTwoBridgesUnchanged() throws Exception {
        String hub = "webRtcHub" + Long.toHexString(System.nanoTime()); // its own MUC room, whatever ran before
        String room = "room-" + Long.toHexString(System.nanoTime());
        call("/core.html?hub=" + hub + "&room=" + room, "signalr/" + hub);
    }

    @Test
    void classicSignalRPagesRoutedByHubOpenADataChannelAcrossTwoBridgesUnchanged() throws Exception {
        String room = "room-" + Long.toHexString(System.nanoTime());
        call("/classic.html?room=" + room, "signalr/webrtchub3"); // classic clients lower-case hub names
    }

    /**
     * Opens the answering page on {@code west}, waits until west joined the MUC room of {@code routed} (at the page's
     * connect, nothing sent), then the offering page on {@code east}.
     */
    private static void call(String page, String routed) throws Exception {
        SigBridge west = pair.west().bridge();
        long joins = joins(west);
        try (ChromiumPage answerer = BROWSERS.chromium().open(pair.westHttp(page + "&role=answer").toString())) {
            answerer.waitFor("window.t && (t.connected || t.errors.length)", CALL);
            assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());
            Poll.until("west joined the MUC room of " + routed, CALL, () -> joins(west) > joins);
            try (ChromiumPage offerer = BROWSERS.chromium().open(pair.eastHttp(page + "&role=offer").toString())) {
                offerer.waitFor("t.received.indexOf('hi from answer') >= 0 || t.errors.length", CALL);
                answerer.waitFor("t.received.indexOf('hi from offer') >= 0 || t.errors.length", CALL);
                assertEquals("[]", offerer.eval("return JSON.stringify(t.errors)").toString());
                assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());
                assertEquals("connected", offerer.eval("return t.state"));
                // west's participants reach east in its occupant's presence, which may trail the signaling messages
                pair.awaitBothInRoom(routed, CALL);
            }
        }
    }

    private static long joins(SigBridge bridge) {
        return ((XmppAdapter) bridge.adapter("xmpp").orElseThrow()).stats().joins().sum();
    }
}
