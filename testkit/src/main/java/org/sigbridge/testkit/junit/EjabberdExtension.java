package org.sigbridge.testkit.junit;

import java.util.function.UnaryOperator;

import org.sigbridge.testkit.peers.EjabberdServer;

/**
 * Gives tests a started {@link EjabberdServer} (users alice and bob, password "secret"). ejabberd takes a
 * second or two to start, so share one per class:
 * <pre>{@code
 * @RegisterExtension
 * static final EjabberdExtension EJABBERD = new EjabberdExtension();
 * ... EJABBERD.server().port() ...
 * }</pre>
 */
public final class EjabberdExtension extends PeerExtension<EjabberdServer> {
    /** A server with default options. */
    public EjabberdExtension() {
        this(UnaryOperator.identity());
    }

    /** A server with options, e.g. {@code b -> b.users("carol")}. */
    public EjabberdExtension(UnaryOperator<EjabberdServer.Builder> options) {
        super(() -> options.apply(EjabberdServer.builder()).start());
    }

    public EjabberdServer server() {
        return peer();
    }
}
