package org.sigbridge.testkit.junit;

import java.util.List;

import org.sigbridge.testkit.peers.Chromium;

/**
 * Gives tests a {@link Chromium} whose pages (each in its own browser context) are all closed afterwards:
 * <pre>{@code
 * @RegisterExtension
 * final ChromiumExtension browsers = new ChromiumExtension();
 * ChromiumPage page = browsers.chromium().open("http://127.0.0.1:" + port + "/");
 * }</pre>
 * For WebRTC between pages the whole test JVM must run in a loopback-only network namespace; see
 * {@link Chromium}. The browser process itself is shared by the JVM's tests and outlives the extension.
 */
public final class ChromiumExtension extends PeerExtension<Chromium> {
    public ChromiumExtension() {
        super(Chromium::start);
    }

    /** Pages with {@code extraFlags} on Chromium's command line (one browser process per distinct flag list). */
    public ChromiumExtension(String... extraFlags) {
        super(() -> Chromium.start(List.of(extraFlags)));
    }

    public Chromium chromium() {
        return peer();
    }
}
