package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;

/** The {@code cluster:} section read by the real config loader: defaults, kebab-case keys, refusals with file:line. */
class ClusterSettingsTest {

    private static final String HEAD = """
            adapters:
              web:
                type: web
            cluster:
            """;

    private static BridgeConfig load(String cluster, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(HEAD + cluster, "test.yml");
    }

    private static ConfigException refused(String cluster) {
        return assertThrows(ConfigException.class, () -> load(cluster, Map.of()));
    }

    @Test
    void readsTheAddressAndDefaultsEverythingElse() throws Exception {
        RedisClusterSettings s = (RedisClusterSettings) load("  redis: redis://127.0.0.1:6379\n  password: ${REDIS_PASSWORD:-}\n", Map.of()).cluster();
        assertEquals("redis://127.0.0.1:6379", s.redis());
        assertNull(s.password(), "an unset ${REDIS_PASSWORD:-} means no password");
        assertEquals("sb", s.keyPrefix());
        assertEquals(10_000, s.logLength());
        assertEquals(Duration.ofSeconds(120), s.logAge());
        assertEquals(Duration.ofSeconds(15), s.lease());
        assertEquals(Duration.ofSeconds(5), s.leaseRenew());
        assertEquals(Duration.ofSeconds(10), s.presenceGrace());
        assertEquals(10_000, s.requestQueue());
        assertEquals(Duration.ofSeconds(2), s.commandTimeout());
        assertEquals(1000, s.outboundCapacity());
        assertEquals(Duration.ofSeconds(5), s.outboundMaxAge());
    }

    @Test
    void readsKebabCaseKeysAndHidesThePassword() throws Exception {
        RedisClusterSettings s = (RedisClusterSettings) load("""
                  redis: rediss://redis.example.org:6380
                  user: sigbridge
                  password: ${REDIS_PASSWORD}
                  key-prefix: prod
                  log-length: 64
                  log-age: 60s
                  lease: 9s
                  lease-renew: 3s
                """, Map.of("REDIS_PASSWORD", "hunter2")).cluster();
        assertTrue(s.tls());
        assertEquals("sigbridge", s.user());
        assertEquals("hunter2", s.password().reveal());
        assertEquals("******", s.password().toString());
        assertEquals("prod", s.keyPrefix());
        assertEquals(64, s.logLength());
        assertEquals(Duration.ofSeconds(9), s.lease());
    }

    @Test
    void refusesAMissingAddressNamingTheLine() {
        ConfigException e = refused("  key-prefix: sb\n");
        assertTrue(e.getMessage().startsWith("test.yml:4: cluster"), e.getMessage());
        assertTrue(e.getMessage().contains("redis is required"), e.getMessage());
    }

    @Test
    void refusesAnAddressThatIsNotRedis() {
        ConfigException e = refused("  redis: http://127.0.0.1:6379\n");
        assertTrue(e.getMessage().startsWith("test.yml:"), e.getMessage());
        assertTrue(e.getMessage().contains("redis://host:port or rediss://host:port"), e.getMessage());
    }

    @Test
    void refusesCredentialsInTheAddress() {
        ConfigException e = refused("  redis: redis://user:secret@127.0.0.1:6379\n");
        assertTrue(e.getMessage().contains("must not carry credentials"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret@"), "the message does not repeat the password: " + e.getMessage());
    }

    @Test
    void refusesARenewalLongerThanAThirdOfTheLease() {
        ConfigException e = refused("  redis: redis://127.0.0.1:6379\n  lease: 6s\n  lease-renew: 3s\n");
        assertTrue(e.getMessage().contains("lease-renew"), e.getMessage());
    }

    @Test
    void readsThePresenceGraceWhereZeroTurnsItOff() throws Exception {
        RedisClusterSettings s = (RedisClusterSettings) load("  redis: redis://127.0.0.1:6379\n  presence-grace: 0s\n", Map.of()).cluster();
        assertEquals(Duration.ZERO, s.presenceGrace());
        ConfigException e = refused("  redis: redis://127.0.0.1:6379\n  presence-grace: soon\n");
        assertTrue(e.getMessage().contains("cluster.presence-grace"), e.getMessage());
    }

    @Test
    void refusesAnUnknownKeyNamingTheKnownOnes() {
        ConfigException e = refused("  redis: redis://127.0.0.1:6379\n  sentinels: x\n");
        assertTrue(e.getMessage().startsWith("test.yml:6: cluster"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'sentinels'") && e.getMessage().contains("lease-renew"), e.getMessage());
    }

    @Test
    void readsASentinelSectionWithItsOwnPasswordHidden() throws Exception {
        RedisClusterSettings s = (RedisClusterSettings) load("""
                  sentinel:
                    master: mymaster
                    nodes: ["10.0.0.1:26379", " 10.0.0.2:26380 "]
                    password: ${SENTINEL_PASSWORD}
                  password: ${REDIS_PASSWORD}
                """, Map.of("SENTINEL_PASSWORD", "s3cret", "REDIS_PASSWORD", "hunter2")).cluster();
        assertNull(s.redis());
        assertEquals("mymaster", s.sentinel().master());
        assertEquals(java.util.List.of("10.0.0.1:26379", "10.0.0.2:26380"), s.sentinel().nodes());
        assertEquals("s3cret", s.sentinel().password().reveal());
        assertEquals("******", s.sentinel().password().toString());
        assertEquals("redis-sentinel://10.0.0.1:26379,10.0.0.2:26380 (master mymaster)", s.address());
        io.lettuce.core.RedisURI uri = RedisLink.uri(s);
        assertEquals("mymaster", uri.getSentinelMasterId());
        assertEquals(2, uri.getSentinels().size());
    }

    @Test
    void refusesASentinelWithoutMasterNamingTheLine() {
        ConfigException e = refused("  sentinel:\n    nodes: [\"10.0.0.1:26379\"]\n");
        assertTrue(e.getMessage().startsWith("test.yml:"), e.getMessage());
        assertTrue(e.getMessage().contains("sentinel.master is required"), e.getMessage());
    }

    @Test
    void refusesASentinelNodeWithoutPort() {
        ConfigException e = refused("  sentinel:\n    master: m\n    nodes: [\"10.0.0.1\"]\n");
        assertTrue(e.getMessage().startsWith("test.yml:"), e.getMessage());
        assertTrue(e.getMessage().contains("'10.0.0.1' is not host:port"), e.getMessage());
    }

    @Test
    void refusesRedisAndSentinelTogether() {
        ConfigException e = refused("  redis: redis://127.0.0.1:6379\n  sentinel:\n    master: m\n    nodes: [\"127.0.0.1:26379\"]\n");
        assertTrue(e.getMessage().contains("redis and sentinel exclude each other"), e.getMessage());
    }

    @Test
    void aUserWithoutAPasswordIsRefused() {
        ConfigException e = refused("  redis: redis://127.0.0.1:6379\n  user: sigbridge\n");
        assertTrue(e.getMessage().contains("needs a password"), e.getMessage());
    }
}
