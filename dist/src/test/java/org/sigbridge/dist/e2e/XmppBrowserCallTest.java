package org.sigbridge.dist.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.web.SeedPages;

/**
 * Two browsers make a WebRTC data-channel call whose signaling crossed Prosody: each page talks only to its
 * own sigbridge, both bridges route every channel to MUC rooms and meet in the page's room. Needs a
 * loopback-only network namespace.
 */
@Timeout(30)
class XmppBrowserCallTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    private RunningBridge east;
    private RunningBridge west;

    @BeforeEach
    void start() throws Exception {
        BrowserCall.requireLoopbackOnlyNetwork();
        String web = BrowserCall.staticDir(SeedPages.extractTo(pages));
        east = XmppBridges.start(PROSODY.server(), "east", "alice", "", web);
        west = XmppBridges.start(PROSODY.server(), "west", "bob", "", web);
    }

    @AfterEach
    void stop() {
        if (east != null) {
            east.close();
        }
        if (west != null) {
            west.close();
        }
    }

    @Test
    void envelopePagesOnTwoBridgesCompleteADataChannelThroughOneMucRoom() {
        BrowserCall.complete(browsers.chromium(), "envelope.html", "Call-Envelope", east, west);
    }

    @Test
    void channelsPagesOnTwoBridgesCompleteADataChannelThroughOneMucRoom() {
        BrowserCall.complete(browsers.chromium(), "channels.html", "call-channels", west, east);
    }
}
