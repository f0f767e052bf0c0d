package org.sigbridge.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testing.Envelopes.envelope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.spi.RouteReload;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;
import org.slf4j.LoggerFactory;

/**
 * A host program (say, a chat server plugin) that logs with java.util.logging embeds the bridge: its class path has
 * the bridge library, slf4j-jdk14 as the SLF4J provider, and neither logback nor the ops module. The bridge works
 * and its log lines reach the host's java.util.logging handlers.
 */
class HostChosenLoggingTest {

    /** What the host's own handler saw from the bridge's loggers. */
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    /** Held strongly: java.util.logging keeps loggers only weakly. */
    private final Logger bridgeLoggers = Logger.getLogger("org.sigbridge");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        bridgeLoggers.setLevel(Level.INFO);
        bridgeLoggers.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        bridgeLoggers.removeHandler(handler);
    }

    @Test
    void theClassPathHasTheHostsProviderAndNoLogbackNorPrometheus() {
        assertEquals("org.slf4j.jul.JDK14LoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.LoggerContext"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.slf4j.bridge.SLF4JBridgeHandler"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.prometheus.metrics.model.registry.PrometheusRegistry"));
    }

    @Test
    void anEnvelopePassesThroughTheHubAndTheBridgesLogLinesGoToTheHostsProvider(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bridge.yml");
        Files.writeString(file, """
                adapters:
                  upstream: {type: recording}
                routes:
                  - {match: "room-*", to: upstream, target: "{channel}"}
                """);

        try (SigBridge bridge = SigBridge.create(SigBridge.load(file))) {
            bridge.start();
            RecordingBackend upstream = (RecordingBackend) bridge.adapter("upstream").orElseThrow();
            RecordingEndpoint hostUser = new RecordingEndpoint("host-user-1", "chat", Integer.MAX_VALUE);
            bridge.hub().subscribe(hostUser, "room-1");

            bridge.hub().publish(envelope("room-1", "host-user-1", "{\"type\":\"offer\"}"), hostUser);
            assertEquals("{\"type\":\"offer\"}", upstream.upstream().next().message().json());
            upstream.receive("room-1", "remote", "{\"type\":\"answer\"}");
            assertEquals("{\"type\":\"answer\"}", hostUser.envelopes().next().message().json());

            assertInstanceOf(RouteReload.Reloaded.class, bridge.reloadRoutes());
            assertSame(Metrics.none(), bridge.ops().metrics(), "without the ops module the bridge exports no metrics");
        }

        assertTrue(records.stream().anyMatch(r -> r.getLoggerName().equals(SigBridge.class.getName()) && r.getLevel() == Level.INFO
                        && r.getMessage().startsWith("routes reloaded from " + file + ": 1 rule;")),
                "the reload's log line reached java.util.logging: " + records.stream().map(LogRecord::getMessage).toList());
    }
}
