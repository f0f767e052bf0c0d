package org.sigbridge.web.socketio.engine;

import java.time.Duration;
import java.util.Optional;
import org.sigbridge.web.SocketIoSettings;
import org.sigbridge.web.socketio.eio.codec.Eio3BinaryFraming;
import org.sigbridge.web.socketio.eio.codec.Eio3JsonpFraming;
import org.sigbridge.web.socketio.eio.codec.Eio3TextFraming;
import org.sigbridge.web.socketio.eio.codec.Eio4Framing;
import org.sigbridge.web.socketio.eio.codec.PayloadFraming;

/**
 * What differs between the Engine.IO revisions served on {@code /socket.io/}, chosen per session by the {@code EIO}
 * query parameter (docs/dialects.md §7.2, §7.3; docs/socketio.md): the open packet, who pings whom, and the polling
 * payload framing. Everything else (sessions, polling, the upgrade, errors) is one engine. Immutable.
 */
public enum EioRevision {

    /** Engine.IO 3: socket.io-client 1.x and 2.x, Socket.IO protocol v4 above it. */
    EIO3("3") {
        @Override
        String openData(String sid, boolean polling, SocketIoSettings settings) {
            return "{\"sid\":\"" + sid + "\",\"upgrades\":" + upgrades(polling) + ",\"pingInterval\":" + pingInterval(settings).toMillis()
                    + ",\"pingTimeout\":" + pingTimeout(settings).toMillis() + "}";
        }

        @Override
        Duration pingTimeout(SocketIoSettings settings) {
            return settings.eio3PingTimeout();
        }

        @Override
        PayloadFraming framing(HandshakeQuery handshakeQuery) {
            String jsonp = handshakeQuery.getValue("j");
            if (jsonp != null) {
                return new Eio3JsonpFraming(jsonp);
            }
            // XHR2 clients get binary framing, as socket.io 1.x's server sends; b64=1 asks for text
            String b64 = handshakeQuery.getValue("b64");
            return b64 != null && !b64.isEmpty() && !b64.equals("0") && !b64.equals("false")
                    ? Eio3TextFraming.INSTANCE : Eio3BinaryFraming.INSTANCE;
        }

        @Override
        Liveness liveness(EioSession session, SocketIoSettings settings) {
            return new ClientPings(session, pingInterval(settings).plus(pingTimeout(settings)));
        }
    },

    /** Engine.IO 4: socket.io-client 3.x and 4.x, Socket.IO protocol v5 above it. */
    EIO4("4") {
        @Override
        String openData(String sid, boolean polling, SocketIoSettings settings) {
            return "{\"sid\":\"" + sid + "\",\"upgrades\":" + upgrades(polling) + ",\"pingInterval\":" + pingInterval(settings).toMillis()
                    + ",\"pingTimeout\":" + pingTimeout(settings).toMillis() + ",\"maxPayload\":" + settings.maxHttpBufferSize() + "}";
        }

        @Override
        Duration pingTimeout(SocketIoSettings settings) {
            return settings.pingTimeout();
        }

        @Override
        PayloadFraming framing(HandshakeQuery handshakeQuery) {
            return Eio4Framing.INSTANCE;
        }

        @Override
        Liveness liveness(EioSession session, SocketIoSettings settings) {
            return new ServerPings(session, session.pingQueues());
        }
    };

    private final String wire;

    EioRevision(String wire) {
        this.wire = wire;
    }

    /** The revision an {@code EIO} query value names, if it is served. */
    public static Optional<EioRevision> of(String eio) {
        for (EioRevision r : values()) {
            if (r.wire.equals(eio)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The {@code EIO} value, e.g. {@code 3}. */
    public String wire() {
        return wire;
    }

    /** The JSON of the open packet. */
    abstract String openData(String sid, boolean polling, SocketIoSettings settings);

    Duration pingInterval(SocketIoSettings settings) {
        return settings.pingInterval();
    }

    abstract Duration pingTimeout(SocketIoSettings settings);

    /** How a polling session of this revision frames its payloads, from its handshake query. */
    abstract PayloadFraming framing(HandshakeQuery handshakeQuery);

    /** The keep-alive of one session: server pings (4) or client pings (3). */
    abstract Liveness liveness(EioSession session, SocketIoSettings settings);

    private static String upgrades(boolean polling) {
        return polling ? "[\"websocket\"]" : "[]";
    }
}
