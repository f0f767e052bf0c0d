package org.sigbridge.web.spi;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;

/**
 * A WebSocket path a dialect serves. Jetty's path mapping picks the most specific spec among every mounted dialect's,
 * so a dialect that mounts the default spec {@code /} serves every upgrade nobody else claims.
 *
 * @param path     e.g. {@code PathSpec.from("/ws/channels")}, {@code PathSpec.from("/socket.io/*")}
 * @param acceptor decides each upgrade on this path
 */
public record SocketMount(PathSpec path, Acceptor acceptor) {

    /**
     * Decides an upgrade that passed the host's gate (Origin, per-address limit, drain). Jetty thread; must not
     * block. The request's query and headers may be read; its body may not.
     */
    @FunctionalInterface
    public interface Acceptor {
        Admission admit(Request request);
    }
}
