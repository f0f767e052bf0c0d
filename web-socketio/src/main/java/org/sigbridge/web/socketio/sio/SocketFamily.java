package org.sigbridge.web.socketio.sio;

import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * An application family on Socket.IO (docs/dialects.md §6): what a namespace socket's events mean on the hub. The
 * broadcast {@code message} relay is {@code relay.MessageRelay}, RTCMultiConnection v3 {@code rmc.RmcFamily},
 * signalmaster {@code signalmaster.SignalmasterFamily}; {@code SocketIoDialect.family} picks one per connection from its
 * handshake (and, on Engine.IO 3, {@code signalmaster.RelayOrSignalmaster} from the first event). Implementations are
 * thread-safe.
 */
public interface SocketFamily {

    /** The family's name, for logs and docs, e.g. {@code message-relay}. */
    String name();

    /**
     * A namespace socket connected (its CONNECT was answered). Called on the session's reader; must not block.
     *
     * @return its handler, called for its events and once when it disconnects
     */
    Member connect(SioSocket socket);

    /** One namespace socket's family logic. Calls come one at a time from the session's reader. */
    interface Member {

        /** An EVENT for this socket (an ack is due when {@link SioPacket#wantsAck()}). */
        void onEvent(SioPacket event);

        /** The socket is gone (DISCONNECT, or the session closed); called once. */
        void onDisconnect();
    }
}
