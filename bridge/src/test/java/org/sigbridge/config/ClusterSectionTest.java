package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.testing.RecordingAdapterFactory;

/**
 * The {@code cluster:} section in the library alone: without a cluster module on the class path (bridge's own tests
 * have none) a file without the section loads as before, and one with it is refused naming the module, never started
 * unshared.
 */
class ClusterSectionTest {

    private final ConfigLoader loader = new ConfigLoader(List.of(new RecordingAdapterFactory()), Map.<String, String>of()::get);

    @Test
    void aFileWithoutAClusterSectionHasNoCluster() throws Exception {
        assertNull(loader.parse("adapters:\n  rec:\n    type: recording\n", "test.yml").cluster());
    }

    @Test
    void aClusterSectionWithoutTheClusterModuleIsRefusedWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(
                "adapters:\n  rec:\n    type: recording\ncluster:\n  redis: redis://127.0.0.1:6379\n", "test.yml"));
        assertTrue(e.getMessage().startsWith("test.yml:4: cluster"), e.getMessage());
        assertTrue(e.getMessage().contains("sigbridge-cluster"), e.getMessage());
    }
}
