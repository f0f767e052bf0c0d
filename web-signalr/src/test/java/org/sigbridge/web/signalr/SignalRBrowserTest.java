package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.web.TestBridge;

/**
 * Two headless Chromium pages with the browser build of {@code @microsoft/signalr} 10 and the seed's SignalR
 * snippet (docs/dialects.md §9) ported to Core ({@code core.html}) open a real WebRTC data channel through sigbridge's hub,
 * over the client's own choice (WebSockets) and held to Server-Sent Events; so do two
 * pages of the seed's classic shape ({@code classic.html}: jQuery, jquery.signalR 2.4.3 and the server's
 * {@code /signalr/hubs}) over WebSockets and over long polling. Needs a
 * loopback-only network namespace ({@code unshare -n}), as the project's test command provides.
 */
class SignalRBrowserTest {

    private static final Duration CALL = Duration.ofSeconds(20);

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    @BeforeEach
    void pages() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-signalr verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
    }

    @ParameterizedTest(name = "client''s {1}")
    @CsvSource({"'', WebSockets transport", "ServerSentEvents, SSE transport"})
    void twoCoreSignalRPagesOpenADataChannelThroughTheHub(String transport, String expected) throws Exception {
        BrowserClients.installCoreInto(pages);
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String room = "room-" + Long.toHexString(System.nanoTime()) + (transport.isEmpty() ? "" : "&transport=" + transport);
            ChromiumPage answerer = browsers.chromium().open(bridge.http("/core.html?role=answer&room=" + room).toString());
            answerer.waitFor("window.t && (t.connected || t.errors.length)", CALL);
            assertEquals(expected, answerer.eval("return t.transport"), "the page's client used " + expected);
            ChromiumPage offerer = browsers.chromium().open(bridge.http("/core.html?role=offer&room=" + room).toString());
            offerer.waitFor("t.received.indexOf('hi from answer') >= 0 || t.errors.length", CALL);
            answerer.waitFor("t.received.indexOf('hi from offer') >= 0 || t.errors.length", CALL);
            assertEquals("[]", offerer.eval("return JSON.stringify(t.errors)").toString());
            assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());
            assertEquals("connected", offerer.eval("return t.state"));
        }
    }

    @ParameterizedTest(name = "{0} with hub.url {1}")
    @CsvSource({"auto, /signalr/hubs, webSockets", "longPolling, '', longPolling"})
    void twoClassicSignalRPagesOpenADataChannelThroughTheHub(String transport, String url, String expected) throws Exception {
        BrowserClients.installClassicInto(pages);
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String room = "room-" + Long.toHexString(System.nanoTime());
            String query = "&room=" + room + "&transport=" + transport + (url.isEmpty() ? "" : "&url=" + url);
            ChromiumPage answerer = browsers.chromium().open(bridge.http("/classic.html?role=answer" + query).toString());
            answerer.waitFor("window.t && (t.connected || t.errors.length)", CALL);
            ChromiumPage offerer = browsers.chromium().open(bridge.http("/classic.html?role=offer" + query).toString());
            offerer.waitFor("t.received.indexOf('hi from answer') >= 0 || t.errors.length", CALL);
            answerer.waitFor("t.received.indexOf('hi from offer') >= 0 || t.errors.length", CALL);
            assertEquals("[]", offerer.eval("return JSON.stringify(t.errors)").toString());
            assertEquals("[]", answerer.eval("return JSON.stringify(t.errors)").toString());
            assertEquals(expected, offerer.eval("return t.transport"));
            assertEquals("connected", offerer.eval("return t.state"));
        }
    }
}
