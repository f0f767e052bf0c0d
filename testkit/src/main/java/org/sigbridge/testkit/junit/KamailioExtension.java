package org.sigbridge.testkit.junit;

import java.util.function.UnaryOperator;

import org.sigbridge.testkit.peers.KamailioServer;

/**
 * Gives tests a started {@link KamailioServer} (registrar and proxy for domain localhost):
 * <pre>{@code
 * @RegisterExtension
 * final KamailioExtension kamailio = new KamailioExtension();   // fresh server per test
 * ... kamailio.server().port() ...
 * }</pre>
 */
public final class KamailioExtension extends PeerExtension<KamailioServer> {
    public KamailioExtension() {
        this(UnaryOperator.identity());
    }

    /** A server with options, e.g. {@code KamailioServer.Builder::udpMtuFallbackToTcp}. */
    public KamailioExtension(UnaryOperator<KamailioServer.Builder> options) {
        super(() -> options.apply(KamailioServer.builder()).start());
    }

    public KamailioServer server() {
        return peer();
    }
}
