package org.sigbridge.web;

import java.net.URI;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;

/**
 * A real bridge with a web adapter on a free loopback port, started from YAML like an operator's file.
 * One per test; {@link #close} stops everything.
 */
public final class TestBridge implements AutoCloseable {

    private final SigBridge bridge;
    private final WebAdapter web;

    private TestBridge(SigBridge bridge) {
        this.bridge = bridge;
        this.web = (WebAdapter) bridge.adapter("web").orElseThrow();
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
        BridgeConfig config = ConfigLoader.withInstalledAdapters().parse(yaml, "test.yml");
        SigBridge bridge = SigBridge.create(config);
        bridge.start();
        return new TestBridge(bridge);
    }

    public static TestBridge start() throws Exception {
        return start("");
    }

    public WebAdapter web() {
        return web;
    }

    public SigBridge bridge() {
        return bridge;
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
        bridge.close();
    }
}
