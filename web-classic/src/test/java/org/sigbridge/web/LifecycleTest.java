package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.testkit.web.WsClient;

/** Start, describe, drain and close of the web adapter, and how its settings are read. */
class LifecycleTest {

    private static List<Thread> webThreadObjects() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("web-web-")).toList();
    }

    private static List<String> webThreads() {
        return webThreadObjects().stream().map(Thread::getName).toList();
    }

    @Test
    void describesWhatItServes() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            assertEquals(List.of("web: listening on http://127.0.0.1:" + bridge.port() + "/ (dialects: channels, envelope, xhr; demo at /)",
                    "web: admin API at /admin/ on the web port (loopback clients only)"), bridge.web().describe());
        }
    }

    @Test
    void namesEveryThreadAndLeavesNoneAfterClose() throws Exception {
        TestBridge bridge = TestBridge.start();
        try (WsClient a = WsClient.connect(bridge.ws("/?channel=t"))) {
            a.expectPresent("t");
            assertTrue(webThreads().stream().anyMatch(n -> n.startsWith("web-web-http-")), webThreads().toString());
            bridge.close();
            assertEquals(1001, a.closeCode(WsClient.WAIT));
        }
        bridge.close(); // idempotent
        for (Thread t : webThreadObjects()) {
            t.join(2000); // a pool thread may still be returning from its last task
        }
        assertEquals(List.of(), webThreads());
    }

    @Test
    void failsToStartWithAClearLineWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AdapterStartException e = assertThrows(AdapterStartException.class, () -> TestBridge.startYaml("""
                    adapters:
                      web:
                        type: web
                        port: %d
                    """.formatted(taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("web: cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("set adapters.web.port"), e.getMessage());
        }
    }

    @Test
    void refusesBadSettingsNamingTheFix() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.withInstalledAdapters().parse("""
                adapters:
                  web:
                    type: web
                    max-frame-bytes: 10
                """, "bad.yml"));
        assertTrue(e.getMessage().contains("max-frame-bytes must be between 256"), e.getMessage());
        ConfigException loops = assertThrows(ConfigException.class, () -> ConfigLoader.withInstalledAdapters().parse("""
                adapters:
                  web:
                    type: web
                    io-threads: 0
                """, "bad.yml"));
        assertTrue(loops.getMessage().contains("io-threads must be between 1 and 256, not 0"), loops.getMessage());
        ConfigException ping = assertThrows(ConfigException.class, () -> ConfigLoader.withInstalledAdapters().parse("""
                adapters:
                  web:
                    type: web
                    idle-timeout: 10s
                    ping-interval: 20s
                """, "bad.yml"));
        assertTrue(ping.getMessage().contains("ping-interval"), ping.getMessage());
    }

    @Test
    void readsEveryDocumentedKeyFromYaml() throws Exception {
        var config = ConfigLoader.withInstalledAdapters().parse("""
                adapters:
                  web:
                    type: web
                    host: 127.0.0.1
                    port: 0
                    demo: false
                    allowed-origins: ["https://app.example.org", "http://localhost:*"]
                    max-frame-bytes: 32768
                    rate-limit: {messages-per-second: 10, burst: 20, close-after: 5}
                    max-channels-per-connection: 8
                    max-connections-per-address: 16
                    idle-timeout: 30s
                    ping-interval: 10s
                    outbound-queue-frames: 64
                    outbound-batch-frames: 8
                    max-threads: 16
                    io-threads: 3
                    static-max-age: 1h
                    xhr: {enabled: true, log-entries: 100, retention: 30s, backlog: 1s, client-timeout: 60s,
                          max-clients: 10, long-poll-max-wait: 20s, max-waiters: 5, channel-idle-timeout: 60s}
                """, "all.yml");
        WebSettings s = (WebSettings) config.adapters().get("web");
        assertEquals(32768, s.maxFrameBytes());
        assertEquals(3, s.ioThreads());
        assertEquals(20, s.rateLimit().burst());
        assertEquals(5, s.xhr().maxWaiters());
        assertEquals(java.time.Duration.ofHours(1), s.staticMaxAge());
        assertEquals(List.of("https://app.example.org", "http://localhost:*"), s.allowedOrigins());
    }

    @Test
    void theShippedConfigFilesBindToWebSettings() throws Exception {
        for (String file : List.of("../conf/sigbridge.yml", "../conf/examples/web-public.yml")) {
            var config = ConfigLoader.withInstalledAdapters().load(java.nio.file.Path.of(file));
            assertTrue(config.adapters().get("web") instanceof WebSettings, file);
        }
    }
}
