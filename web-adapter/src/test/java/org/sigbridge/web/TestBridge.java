package org.sigbridge.web;

import java.net.URI;
import org.sigbridge.SigBridge;
import org.sigbridge.testkit.bridge.BridgeUnderTest;

/**
 * testkit's bridge under test with a web adapter on a free loopback port, started from YAML like an operator's
 * file, and the web adapter's URIs. One per test; {@link #close} stops everything.
 */
public final class TestBridge implements AutoCloseable {

    private final BridgeUnderTest under;
    private final WebAdapter web;

    private TestBridge(BridgeUnderTest under) {
        this.under = under;
        this.web = under.adapter("web", WebAdapter.class);
    }

    /** Starts a bridge whose web adapter has the default settings plus {@code webYaml} (keys indented by 4). */
    public static TestBridge start(String webYaml) throws Exception {
        return startYaml("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                """ + webYaml + """

                routes:
                  - match: "denied-*"
                    to: deny
                  - match: "*"
                    to: local
                """);
    }

    public static TestBridge startYaml(String yaml) throws Exception {
        return new TestBridge(BridgeUnderTest.fromYaml(yaml));
    }

    public static TestBridge start() throws Exception {
        return start("");
    }

    public WebAdapter web() {
        return web;
    }

    public SigBridge bridge() {
        return under.bridge();
    }

    public int port() {
        return web.port();
    }

    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    public URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    @Override
    public void close() {
        under.close();
    }
}
