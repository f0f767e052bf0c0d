package org.sigbridge.cluster;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.net.URI;
import java.time.Duration;
import org.sigbridge.config.Check;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;
import org.sigbridge.spi.cluster.ClusterSettings;

/**
 * The {@code cluster:} section (conf/reference/cluster.md): the Redis that the bridge instances share and how they use
 * it. Validated here; the config loader adds {@code file:line} to each refusal.
 *
 * @param redis            {@code redis://host:port} or {@code rediss://host:port} (TLS), optionally {@code /db}; required
 *                         unless {@code sentinel} is given. Credentials go in {@code user} and {@code password}, never in
 *                         the address
 * @param sentinel         the Sentinels to ask for the master instead ({@link SentinelSettings}); excludes {@code redis}
 * @param user             the Redis ACL user, or absent for the default user
 * @param password         the password ({@code ${REDIS_PASSWORD}}), or absent for none
 * @param keyPrefix        the prefix of every key and subject; default {@code sb}. Instances that share channels share it
 * @param logLength        how many envelopes each channel's log keeps for gap filling; default 10000 (docs/cluster.md §6: sizing)
 * @param logAge           how long an idle channel's log and offsets live; default 120s
 * @param lease            how long an instance counts as alive after its last renewal; its participants leave the other
 *                         instances within {@code lease} plus {@code lease-renew}; default 15s
 * @param leaseRenew       how often the lease is renewed and other instances' leases are checked; default 5s, at most
 *                         a third of {@code lease}
 * @param requestQueue     Lettuce's request queue bound (commands waiting to be written); default 10000
 * @param commandTimeout   how long one Redis command may take; default 2s
 * @param connectTimeout   how long the first connection may take at start, handshake and retries included
 *                         (RedisLink#connect), and each reconnect's handshake; default 5s
 * @param outboundCapacity envelopes and presence changes waiting for Redis, at most; default 1000
 * @param outboundMaxAge   how long they may wait while Redis is unreachable before the sender is told
 *                         {@code upstream_unavailable}; default 5s
 * @param presenceGrace    how long a draining or stopping instance holds back the leaves of clients that resume on
 *                         another instance as the same participant (docs/cluster.md §4); default 10s, 0 announces them
 *                         at once
 */
public record RedisClusterSettings(String redis, SentinelSettings sentinel, String user,
                                   @JsonDeserialize(using = OptionalSecret.class) Secret password,
                                   String keyPrefix, Integer logLength, Duration logAge, Duration lease, Duration leaseRenew,
                                   Integer requestQueue, Duration commandTimeout, Duration connectTimeout,
                                   Integer outboundCapacity, Duration outboundMaxAge, Duration presenceGrace)
        implements ClusterSettings {

    public RedisClusterSettings {
        redis = Check.blankToNull(redis);
        if (redis == null && sentinel == null) {
            throw new IllegalArgumentException("redis is required: the address of the Redis all instances share, e.g. redis://127.0.0.1:6379 "
                    + "(or a sentinel: section with master and nodes)");
        }
        if (redis != null && sentinel != null) {
            throw new IllegalArgumentException("redis and sentinel exclude each other: with Sentinel the instances ask it for the master's "
                    + "address; remove redis");
        }
        if (redis != null) {
            URI uri;
            try {
                uri = new URI(redis);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("redis '" + redis + "' is not an address; write redis://host:port or rediss://host:port");
            }
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("redis '" + redis + "' must be redis://host:port or rediss://host:port (TLS); "
                        + "for Sentinel write a sentinel: section");
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException("redis must not carry credentials; put them in user and password (password: ${REDIS_PASSWORD})");
            }
        }
        user = Check.blankToNull(user);
        if (user != null && password == null) {
            throw new IllegalArgumentException("user '" + user + "' needs a password");
        }
        keyPrefix = keyPrefix == null ? "sb" : keyPrefix;
        if (!keyPrefix.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("key-prefix '" + keyPrefix + "' must be 1 to 32 letters, digits, '_', '.' or '-'");
        }
        logLength = Check.range("log-length", logLength, 10_000, 1, 1_000_000);
        logAge = Check.positive("log-age", logAge, Duration.ofSeconds(120));
        lease = Check.positive("lease", lease, Duration.ofSeconds(15));
        leaseRenew = Check.positive("lease-renew", leaseRenew, Duration.ofSeconds(5));
        if (leaseRenew.multipliedBy(3).compareTo(lease) > 0) {
            throw new IllegalArgumentException("lease-renew (" + leaseRenew.toMillis() + "ms) must be at most a third of lease ("
                    + lease.toMillis() + "ms), so that a late renewal does not let the lease expire");
        }
        requestQueue = Check.range("request-queue", requestQueue, 10_000, 100, 1_000_000);
        commandTimeout = Check.positive("command-timeout", commandTimeout, Duration.ofSeconds(2));
        connectTimeout = Check.positive("connect-timeout", connectTimeout, Duration.ofSeconds(5));
        outboundCapacity = Check.range("outbound-capacity", outboundCapacity, 1000, 1, 1_000_000);
        outboundMaxAge = Check.positive("outbound-max-age", outboundMaxAge, Duration.ofSeconds(5));
        presenceGrace = Check.zeroOrPositive("presence-grace", presenceGrace, Duration.ofSeconds(10));
        if (logAge.compareTo(outboundMaxAge.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("log-age must be at least twice outbound-max-age, so that a retried append finds its first try");
        }
    }

    /** The address without credentials, for logs: the Redis URI, or the Sentinels and master name. */
    public String address() {
        return sentinel != null ? sentinel.address() : redis;
    }

    /** Whether the address asks for TLS (a {@code rediss://} address; Sentinel connections are plain in this release). */
    public boolean tls() {
        return redis != null && redis.startsWith("rediss://");
    }
}
