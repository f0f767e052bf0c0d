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
     * Verified identity (docs/socketio.md, "Verified identity"): why this socket may not connect under the identity its
     * token vouched for ({@link SioSocket#verifiedSender()}) — a channel outside the token's {@code channels}, a page
     * that names another user than the token's — as the CONNECT_ERROR's message; empty to admit it. Called on the
     * session's reader before the CONNECT is answered, in {@code identity.mode: verified} only; must not block.
     * Default: admitted.
     */
    default java.util.Optional<String> refusal(SioSocket socket) {
        return java.util.Optional.empty();
    }

    /**
     * A namespace socket connected (its CONNECT was answered). Called on the session's reader; must not block.
     *
     * @return its handler, called for its events and once when it disconnects
     */
    Member connect(SioSocket socket);

    /**
     * A namespace socket connects (connection state recovery off): the family calls {@code answer}, which writes the
     * CONNECT answer, exactly once, before it writes anything for the socket — and after it joined what the socket must
     * hear, so that a client that sees itself connected misses nothing published after that. Called on the session's
     * reader; must not block. Default: {@code answer}, then {@link #connect(SioSocket)}.
     */
    default Member connect(SioSocket socket, Runnable answer) {
        answer.run();
        return connect(socket);
    }

    /**
     * A namespace socket connected with connection state recovery on (docs/socketio.md, "Connection state recovery").
     * The family must call {@link Recovery#answer} exactly once, before it writes anything for the socket: the
     * connection then writes the CONNECT answer, recovered or fresh. {@code socket} carries the id of the session it
     * tries to recover; answered not recovered, its client is told a new id (as socket.io 4 makes a new socket), so a
     * family keys nothing on {@link SioSocket#id()} here (the relay keys on the endpoint id, RTCMultiConnection on the
     * userid). A family that can resume joins with
     * {@code AdapterContext.resume} from {@link Recovery#since()} and hands each relayed event its position as the
     * event's last argument. Default: not recovered, then {@link #connect(SioSocket)}.
     */
    default Member connect(SioSocket socket, Recovery recovery) {
        recovery.answer(false, null);
        return connect(socket);
    }

    /**
     * What a reconnecting socket brings, and how its CONNECT is answered.
     *
     * @param since          the position of the last event it got, or {@code null} for a new session (or none known)
     * @param ownEndpointIds endpoint ids its session published from before
     * @param answer         called once with whether it recovered and the channel position it joined at (or
     *                       {@code null}); writes the CONNECT answer
     * @param offset         the {@code offset} its client sent as it is (a family whose offsets are not channel
     *                       positions reads its own), or {@code null}
     * @param state          what the family {@linkplain #save saved} with the session it claimed (possibly on another
     *                       instance of a cluster, docs/cluster.md §2), or {@code null}
     * @param saver          keeps a state with the session answered, locally and in the cluster's records
     */
    record Recovery(org.sigbridge.spi.Position since, java.util.Set<String> ownEndpointIds, Answer answer, String offset,
                    String state, java.util.function.Consumer<String> saver) {

        /** A recovery with no raw offset, no saved state and nowhere to save one. */
        public Recovery(org.sigbridge.spi.Position since, java.util.Set<String> ownEndpointIds, Answer answer) {
            this(since, ownEndpointIds, answer, null, null, state -> { });
        }

        /** Calls the answer. */
        public void answer(boolean recovered, org.sigbridge.spi.Position joinedAt) {
            answer.answer(recovered, joinedAt);
        }

        /**
         * Keeps {@code state} (short text, at most 4,096 characters; {@code null} clears it) with the session the answer
         * made, so that a return — on this instance or, on a cluster, another — brings it back as {@link #state()}.
         * Only after {@link #answer}; any thread, never blocks.
         */
        public void save(String newState) {
            saver.accept(newState);
        }
    }

    /** Writes the CONNECT answer of a recovering socket. */
    @FunctionalInterface
    interface Answer {
        void answer(boolean recovered, org.sigbridge.spi.Position joinedAt);
    }

    /** One namespace socket's family logic. Calls come one at a time from the session's reader. */
    interface Member {

        /** An EVENT for this socket (an ack is due when {@link SioPacket#wantsAck()}). */
        void onEvent(SioPacket event);

        /** The socket is gone (DISCONNECT, or the session closed); called once. */
        void onDisconnect();

        /**
         * With connection state recovery on, instead of {@link #onDisconnect} when the session's transport broke (no
         * DISCONNECT packet): a family that keeps the socket's state for the client's return does so here, and ends it
         * itself if the client does not come back. Called once, from the closing session. Default: {@link #onDisconnect}.
         */
        default void onTransportClosed() {
            onDisconnect();
        }
    }
}
