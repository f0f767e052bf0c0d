package org.sigbridge.dist.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.web.SeedPages;

/**
 * Two browsers make a WebRTC data-channel call whose signaling crossed SIP MESSAGE through Kamailio. Each page
 * talks only to its own sigbridge; both bridges send every channel to {@code sip:{channel}@localhost} and
 * register that AOR while the channel is open, so Kamailio forks each bridge's MESSAGE to both: the sender
 * recognises its own, the other publishes it to its page. Needs a loopback-only network namespace.
 */
@Timeout(30)
class SipBrowserCallTest {

    private static final String ROUTES = """
            - match: "*"
              to: sip
            """;

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

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
        east = SipBridges.start(KAMAILIO.server(), "sip-east", "bridge-east", ROUTES, web);
        west = SipBridges.start(KAMAILIO.server(), "sip-west", "bridge-west", ROUTES, web);
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
    void envelopePagesOnTwoBridgesCompleteADataChannelThroughKamailio() {
        BrowserCall.complete(browsers.chromium(), "envelope.html", "sip-call-envelope", east, west);
    }

    @Test
    void channelsPagesOnTwoBridgesCompleteADataChannelThroughKamailio() {
        BrowserCall.complete(browsers.chromium(), "channels.html", "sip-call-channels", west, east);
    }
}
