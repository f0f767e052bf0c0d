package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;

/** {@code conf/examples/cluster.yml}, the file docs/cluster.md §1 runs twice, loads as documented. */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("../conf/examples/cluster.yml");

    @Test
    void theExampleReadsNamePortAndRedisFromTheEnvironment() throws Exception {
        BridgeConfig config = new ConfigLoader(ConfigLoader.installedFactories(), Map.of(
                "SIGBRIDGE_NAME", "b", "SIGBRIDGE_WEB_PORT", "8889", "REDIS_URL", "redis://10.0.0.5:6379")::get).load(EXAMPLE);
        RedisClusterSettings cluster = (RedisClusterSettings) config.cluster();
        assertEquals("b", config.bridge().name());
        assertEquals("redis://10.0.0.5:6379", cluster.redis());
        assertNull(cluster.user());
        assertNull(cluster.password());
        assertEquals(15, cluster.lease().toSeconds());
    }

    @Test
    void withoutTheEnvironmentItIsOneInstanceOnALocalRedis() throws Exception {
        BridgeConfig config = new ConfigLoader(ConfigLoader.installedFactories(), Map.<String, String>of()::get).load(EXAMPLE);
        assertEquals("redis://127.0.0.1:6379", ((RedisClusterSettings) config.cluster()).redis());
        assertEquals("sigbridge", config.bridge().name());
    }
}
