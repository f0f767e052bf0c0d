package org.sigbridge.testkit.junit;

import java.util.function.UnaryOperator;
import org.sigbridge.testkit.peers.RedisServer;

/**
 * Gives tests a started {@link RedisServer} on a free loopback port in a private temp directory:
 * <pre>{@code
 * @RegisterExtension
 * final RedisExtension redis = new RedisExtension();      // one per test
 * ... redis.server().uri() ...
 * }</pre>
 */
public final class RedisExtension extends PeerExtension<RedisServer> {

    /** A server without persistence. */
    public RedisExtension() {
        this(UnaryOperator.identity());
    }

    /** A server with options, e.g. {@code b -> b.appendOnly(true)}. */
    public RedisExtension(UnaryOperator<RedisServer.Builder> options) {
        super(() -> options.apply(RedisServer.builder()).start());
    }

    public RedisServer server() {
        return peer();
    }
}
