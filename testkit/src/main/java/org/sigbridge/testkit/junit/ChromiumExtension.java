package org.sigbridge.testkit.junit;

import org.sigbridge.testkit.peers.Chromium;

/**
 * Gives tests a {@link Chromium} whose pages (browser sessions) are all quit afterwards:
 * <pre>{@code
 * @RegisterExtension
 * final ChromiumExtension browsers = new ChromiumExtension();
 * ChromiumPage page = browsers.chromium().open("http://127.0.0.1:" + port + "/");
 * }</pre>
 * For WebRTC between pages the whole test JVM must run in a loopback-only network namespace; see
 * {@link Chromium}.
 */
public final class ChromiumExtension extends PeerExtension<Chromium> {
    public ChromiumExtension() {
        super(Chromium::start);
    }

    public Chromium chromium() {
        return peer();
    }
}
