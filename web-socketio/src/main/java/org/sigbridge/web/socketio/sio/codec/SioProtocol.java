package org.sigbridge.web.socketio.sio.codec;

import org.sigbridge.envelope.JsonValue;

/**
 * What differs between the Socket.IO protocol revisions served above Engine.IO (docs/dialects.md §7.2, §7.3): the
 * CONNECT handshake, the error packet and socket ids. Events, acks, namespaces and the packet syntax are shared
 * ({@link SioCodec}). Immutable.
 */
public enum SioProtocol {

    /**
     * Protocol v4 (socket.io 1.x and 2.x, over Engine.IO 3): the server connects the root namespace unprompted
     * ({@code 40}); a client connects another namespace with {@code 40/nsp} (socket.io-client 2.x appends
     * {@code ?query}), answered {@code 40/nsp}; errors are {@code 44} with a string; a socket's id is the Engine.IO
     * id on the root namespace and {@code <nsp>#<engine id>} elsewhere, which the client derives itself.
     */
    V4 {
        @Override
        public boolean connectsRootUnprompted() {
            return true;
        }

        @Override
        public SioPacket connectAnswer(String namespace, String socketId) {
            return SioPacket.connect(namespace, null);
        }

        @Override
        public SioPacket connectError(String namespace, String message) {
            return new SioPacket(SioPacket.Type.CONNECT_ERROR, namespace, -1, 0, JsonValue.string(message), java.util.List.of());
        }

        @Override
        public String socketId(String engineId, String namespace, String random) {
            return namespace.equals("/") ? engineId : namespace + "#" + engineId;
        }

        @Override
        String namespaceOf(String raw) {
            int q = raw.indexOf('?');
            return q < 0 ? raw : raw.substring(0, q);
        }

        @Override
        boolean connectPayloadAllowed(boolean object) {
            return true; // socket.io-parser 2.x/3.x reads any JSON there; clients send none
        }
    },

    /**
     * Protocol v5 (socket.io 3.x and 4.x, over Engine.IO 4): the client connects every namespace, the root included,
     * with {@code 40[{auth}]}, answered {@code 40{"sid":…}}; errors are {@code 44{"message":…}}; socket ids are random.
     */
    V5 {
        @Override
        public boolean connectsRootUnprompted() {
            return false;
        }

        @Override
        public SioPacket connectAnswer(String namespace, String socketId) {
            return SioPacket.connect(namespace, new JsonValue("{\"sid\":\"" + socketId + "\"}"));
        }

        @Override
        public SioPacket connectError(String namespace, String message) {
            return SioPacket.connectError(namespace, message);
        }

        @Override
        public String socketId(String engineId, String namespace, String random) {
            return random;
        }

        @Override
        String namespaceOf(String raw) {
            return raw;
        }

        @Override
        boolean connectPayloadAllowed(boolean object) {
            return object;
        }
    };

    /** Whether the server sends the root namespace's CONNECT as soon as the session opens. */
    public abstract boolean connectsRootUnprompted();

    /** The server's answer to a namespace CONNECT. */
    public abstract SioPacket connectAnswer(String namespace, String socketId);

    /** A refused CONNECT (or another error of a namespace) in this revision's terms. */
    public abstract SioPacket connectError(String namespace, String message);

    /**
     * The id of a new namespace socket.
     *
     * @param random a fresh random id, used where the revision has the server choose
     */
    public abstract String socketId(String engineId, String namespace, String random);

    /** The namespace of a packet's namespace field (v4 CONNECTs may carry {@code ?query}). */
    abstract String namespaceOf(String raw);

    /** Whether a CONNECT may carry a payload (an object: {@code object}). */
    abstract boolean connectPayloadAllowed(boolean object);
}
