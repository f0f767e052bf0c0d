package org.sigbridge.web.socketio.engine;

import java.util.Objects;

/**
 * What the layer above Engine.IO learns of a new session. Immutable.
 *
 * @param sid      the Engine.IO session id ({@code io.engine.id}; socket.io 1.x/2.x derive socket ids from it)
 * @param revision the Engine.IO revision the client speaks
 * @param query    the handshake request's query parameters
 * @param origin   the handshake request's {@code Origin} header, or {@code null} when it had none
 */
public record Handshake(String sid, EioRevision revision, HandshakeQuery query, String origin) {

    public Handshake {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(query, "query");
    }
}
