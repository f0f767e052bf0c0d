package org.sigbridge.web.socketio.v09;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.socketio.v09.codec.V09Codec;
import org.sigbridge.web.socketio.v09.codec.V09Packet;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;

/**
 * The 0.9 websocket transport ({@code /socket.io/1/websocket/<sid>}, docs/socketio-09.md): one host WebSocket carrying
 * a handshaken session that no transport carried yet. Each text frame is one packet (a {@code \ufffd}-framed payload is
 * accepted too); the session writes one frame per packet. An upgrade for an unknown or already carried session is
 * accepted and answered {@code 7:::1+0} ("client not handshaken", "reconnect") and closed, as the reference answers
 * it in 0.9 terms. Calls come from the socket's reader, one at a time.
 */
final class V09WebSocket implements ConnectionHandler {

    private static final String PREFIX = V09HttpHandler.PREFIX + "websocket/";

    private final V09Engine engine;
    private final WebConnection socket;
    private final String sid;
    private volatile V09Session session;

    private V09WebSocket(V09Engine engine, WebConnection socket, String sid) {
        this.engine = engine;
        this.socket = socket;
        this.sid = sid;
    }

    /** The mount's acceptor: every upgrade is accepted; one for no usable session is refused once open. Jetty thread. */
    static Admission admit(V09Engine engine, Request request) {
        String path = Request.getPathInContext(request);
        String sid = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : null;
        return new Admission.Accept(socket -> new V09WebSocket(engine, socket, sid));
    }

    @Override
    public void onOpen() {
        V09Session target = engine.find(sid);
        if (target == null || !target.attach(socket)) {
            engine.countMalformed();
            String error = V09Codec.encode(V09Packet.error("", V09Packet.Reason.CLIENT_NOT_HANDSHAKEN, true));
            socket.outbound().offer(ByteBuffer.wrap(error.getBytes(StandardCharsets.UTF_8)));
            socket.closeWith(CloseCodes.POLICY_VIOLATION, "client not handshaken");
            return;
        }
        session = target;
    }

    @Override
    public void onText(String text) {
        V09Session s = session;
        if (s == null) {
            return;
        }
        if (!text.isEmpty() && text.charAt(0) == V09Codec.MARK) {
            s.post(text);
        } else {
            s.onText(text);
        }
    }

    /** Binary frames have no meaning in 0.9: counted as bad frames and ignored. */
    @Override
    public void onBinary() {
        engine.countMalformed();
    }

    @Override
    public void onClosed() {
        V09Session s = session;
        if (s != null) {
            s.socketClosed(socket);
        }
    }

    @Override
    public String dialect() {
        return V09Connection.DIALECT;
    }

    @Override
    public Endpoint endpoint() {
        V09Session s = session;
        return s == null ? new Nobody(engine.host().adapter(), socket.id()) : s.endpoint();
    }

    /** The endpoint of a WebSocket that carries no session: it takes nothing. */
    private record Nobody(String adapter, String id) implements Endpoint {
        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "socket " + id + " carries no socket.io 0.9 session");
        }
    }
}
