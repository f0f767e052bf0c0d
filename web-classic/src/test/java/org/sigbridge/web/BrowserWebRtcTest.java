package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.web.SeedPages;

/**
 * Two headless Chromium processes complete a WebRTC data channel, signaling through a real bridge in local
 * mode, with pages written in the seed's style for each dialect, and with the demo page. Needs a loopback-only
 * network namespace ({@code unshare -n}), as the project's test command provides; fails loudly without one.
 */
class BrowserWebRtcTest {

    private static final Duration CALL = Duration.ofSeconds(15);

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-adapter verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        SeedPages.extractTo(pages);
        bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n");
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private void call(String page) {
        String room = "room-" + page.replace(".html", "");
        SeedPages.assertDataChannel(browsers.chromium(), bridge.http("/" + page + "?role=answer&room=" + room).toString(),
                bridge.http("/" + page + "?role=offer&room=" + room).toString(), CALL);
    }

    @Test
    void seedChannelsPagesCompleteADataChannel() throws Exception {
        call("channels.html");
    }

    @Test
    void seedEnvelopePagesCompleteADataChannel() throws Exception {
        call("envelope.html");
    }

    @Test
    void seedXhrPagesCompleteADataChannel() throws Exception {
        call("xhr.html");
    }

    @Test
    void demoPageTabsChatOverADataChannelAndShowTheLocalRoute() {
        String url = bridge.http("/?channel=demo-test&gum=1&autojoin=1").toString();
        ChromiumPage first = browsers.chromium().open(url);
        ChromiumPage second = browsers.chromium().open(url);
        first.waitFor("window.demo.dc === 'open'", CALL);
        second.waitFor("window.demo.dc === 'open'", CALL);
        first.eval("document.getElementById('text').value = 'hello from one'; document.getElementById('chat').requestSubmit();");
        second.waitFor("window.demo.received.indexOf('hello from one') >= 0", CALL);
        assertEquals("local", second.eval("return window.demo.route;"));
        first.waitFor("window.demo.present === true", CALL);
    }
}
