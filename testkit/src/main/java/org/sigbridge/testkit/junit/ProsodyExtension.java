package org.sigbridge.testkit.junit;

import java.util.function.UnaryOperator;

import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * Gives tests a started {@link ProsodyServer} (users alice and bob, password "secret"):
 * <pre>{@code
 * @RegisterExtension
 * static final ProsodyExtension PROSODY = new ProsodyExtension();
 * ... PROSODY.server().port() ...
 * }</pre>
 */
public final class ProsodyExtension extends PeerExtension<ProsodyServer> {
    /** A server with default options. */
    public ProsodyExtension() {
        this(UnaryOperator.identity());
    }

    /** A server with options, e.g. {@code b -> b.stanzaSizeLimitBytes(1 << 20).users("carol")}. */
    public ProsodyExtension(UnaryOperator<ProsodyServer.Builder> options) {
        super(() -> options.apply(ProsodyServer.builder()).start());
    }

    public ProsodyServer server() {
        return peer();
    }
}
