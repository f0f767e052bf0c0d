package org.sigbridge.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testing.Envelopes.envelope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testing.RecordingSettings;

/** A host program (say, a chat server) runs sigbridge in-process without Main. */
class EmbeddingTest {

    @Test
    void aHostBuildsStartsUsesAndStopsABridgeFromAConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bridge.yml");
        Files.writeString(file, """
                adapters:
                  upstream: {type: recording}
                routes:
                  - {match: "room-*", to: upstream, target: "{channel}"}
                """);

        try (SigBridge bridge = SigBridge.create(SigBridge.load(file))) {
            bridge.start();
            assertTrue(bridge.isRunning());
            RecordingBackend upstream = (RecordingBackend) bridge.adapter("upstream").orElseThrow();

            RecordingEndpoint hostUser = new RecordingEndpoint("host-user-1", "chat", Integer.MAX_VALUE);
            bridge.hub().subscribe(hostUser, "room-1");
            bridge.hub().publish(envelope("room-1", "host-user-1", "{\"type\":\"offer\"}"), hostUser);

            assertEquals("{\"type\":\"offer\"}", upstream.upstream().next().message().json());
            upstream.receive("room-1", "remote", "{\"type\":\"answer\"}");
            assertEquals("{\"type\":\"answer\"}", hostUser.envelopes().next().message().json());

            bridge.close();
            assertTrue(upstream.isClosed());
            assertFalse(bridge.isRunning());
        }
    }

    @Test
    void aHostBuildsABridgeFromRecordsMadeInCode() throws Exception {
        BridgeConfig config = BridgeConfig.of(Map.of("upstream", new RecordingSettings(null, null)));

        try (SigBridge bridge = SigBridge.create(config, ConfigLoader.installedFactories(), java.time.Clock.systemUTC())) {
            bridge.start();
            RecordingEndpoint a = new RecordingEndpoint("a");
            RecordingEndpoint b = new RecordingEndpoint("b");
            bridge.hub().subscribe(a, "c");
            bridge.hub().subscribe(b, "c");
            bridge.hub().publish(envelope("c", "a", "1"), a);
            assertEquals("1", b.envelopes().next().message().json());
        }
    }

    @Test
    void aClosedBridgeCannotBeRestarted() throws Exception {
        SigBridge bridge = SigBridge.create(BridgeConfig.of(Map.of("u", new RecordingSettings(null, null))));
        bridge.start();
        bridge.close();
        bridge.close();

        assertThrows(IllegalStateException.class, bridge::start);
    }
}
