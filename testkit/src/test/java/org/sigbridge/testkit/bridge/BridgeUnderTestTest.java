package org.sigbridge.testkit.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testing.Envelopes.envelope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;

/** The bridge under test is started from a real file by the real loader, and leaves nothing behind. */
class BridgeUnderTestTest {

    private static final String YAML = """
            bridge:
              name: under-test
            adapters:
              up:
                type: recording
            routes:
              - match: "up-*"
                to: up
            """;

    @Test
    void startsTheBridgeTheYamlDescribesWithTheEnvironmentGiven() throws Exception {
        String yaml = YAML.replace("type: recording", "type: recording\n    reject: ${REJECT}");
        Path file;
        try (BridgeUnderTest under = BridgeUnderTest.fromYaml(yaml, Map.of("REJECT", "upstream_unavailable"))) {
            file = under.configFile().orElseThrow();
            assertEquals(yaml, Files.readString(file));
            assertEquals("under-test", under.ops().bridgeName());
            RecordingEndpoint browser = new RecordingEndpoint("b1");
            under.hub().subscribe(browser, "up-1");
            under.hub().publish(envelope("up-1", "b1", "{}"), browser);
            assertEquals("upstream_unavailable", browser.failures().next().code().wire());
            assertTrue(under.adapter("up", RecordingBackend.class).upstream().drain().isEmpty(), "the reject setting came from ${REJECT}");
        }
        assertFalse(Files.exists(file.getParent()), "close deletes the scratch directory");
    }

    @Test
    void refusesYamlAsTheLauncherWouldNamingTheLineOfItsFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> BridgeUnderTest.fromYaml(YAML.replace("type: recording", "type: recording\n    rejekt: x")));
        assertTrue(e.source().endsWith("sigbridge.yml"), e.source());
        assertEquals(6, e.line());
        assertFalse(Files.exists(Path.of(e.source()).getParent()), "a refused config leaves no scratch directory");
    }

    @Test
    void publishesThroughTheHubOfTheRunningBridge() throws Exception {
        try (BridgeUnderTest under = BridgeUnderTest.fromYaml(YAML)) {
            RecordingEndpoint browser = new RecordingEndpoint("b1");
            under.hub().subscribe(browser, "up-1");
            assertInstanceOf(PublishResult.Published.class, under.hub().publish(envelope("up-1", "b1", "{\"n\":1}"), browser));
            assertEquals("{\"n\":1}", under.adapter("up", RecordingBackend.class).upstream().next().message().json());
        }
    }
}
