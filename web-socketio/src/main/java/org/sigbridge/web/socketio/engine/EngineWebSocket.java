package org.sigbridge.web.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.socketio.eio.codec.EioCodec;
import org.sigbridge.web.socketio.eio.codec.EioPacket;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;

/**
 * The WebSocket side of {@code /socket.io/}: one host WebSocket carrying an Engine.IO session (revision 3 or 4), either from the start
 * ({@code transport=websocket} without {@code sid}) or as the upgrade of a polling session ({@code sid=…}:
 * {@code 2probe} → {@code 3probe}, then {@code 5}). Handler calls come from the socket's reader, one at a time.
 *
 * <p>Known difference: a bad upgrade request (unknown sid, other {@code EIO}) is accepted and closed at once with
 * 1008 and the reference's message as reason, where the reference answers HTTP 400 before upgrading; the host's
 * {@link Admission.Refuse} has no reason for protocol errors yet.
 */
public final class EngineWebSocket implements ConnectionHandler {

    /** The endpoint of a WebSocket that carries no session of its own (a probe, or one refused): it takes nothing. */
    private record Nobody(String adapter, String id) implements Endpoint {
        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "socket " + id + " carries no socket.io session");
        }
    }

    private final Engine engine;
    private final WebConnection socket;
    private final String sid;
    private final HandshakeQuery query;
    private final EioRevision revision;
    private final String origin;
    private final String refusal;
    private volatile EioSession session;
    private boolean upgrading;

    private EngineWebSocket(Engine engine, WebConnection socket, String sid, HandshakeQuery query, EioRevision revision, String origin,
                            String refusal) {
        this.engine = engine;
        this.socket = socket;
        this.sid = sid;
        this.query = query;
        this.revision = revision;
        this.origin = origin;
        this.refusal = refusal;
    }

    /** The mount's acceptor: every upgrade is accepted; a bad one is closed once open. Jetty thread. */
    public static Admission admit(Engine engine, Request request) {
        HandshakeQuery query = HandshakeQuery.of(request);
        String refusal = null;
        EioRevision revision = EioRevision.of(query.getValue("EIO")).orElse(null);
        if (revision == null) {
            refusal = EngineHttpHandler.EioError.UNSUPPORTED_PROTOCOL_VERSION.json();
        } else if (!"websocket".equals(query.getValue("transport"))) {
            refusal = EngineHttpHandler.EioError.TRANSPORT_UNKNOWN.json();
        }
        String sid = query.getValue("sid");
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        String why = refusal;
        return new Admission.Accept(socket -> new EngineWebSocket(engine, socket, sid, query, revision, origin, why));
    }

    @Override
    public void onOpen() {
        if (refusal == null && sid == null) {
            session = engine.open(socket.id(), socket.remoteAddress(), socket, query, revision, origin);
            if (session == null) {
                socket.close(CloseCodes.GOING_AWAY, "the bridge is stopping");
            }
            return;
        }
        EioSession target = refusal == null ? engine.find(sid) : null;
        if (target == null || target.state() != SessionTransport.State.POLLING || target.revision() != revision) {
            engine.countMalformed();
            socket.close(CloseCodes.POLICY_VIOLATION, refusal != null ? refusal : EngineHttpHandler.EioError.UNKNOWN_SID.json());
            return;
        }
        session = target;
        upgrading = true;
    }

    @Override
    public void onText(String text) {
        EioSession s = session;
        if (s == null) {
            return;
        }
        if (!upgrading && !text.isEmpty() && text.charAt(0) == EioPacket.Type.MESSAGE.wire()) {
            s.onMessageFrame(text); // what EioCodec.decode would make of it, without copying the data out
            return;
        }
        EioPacket packet;
        try {
            packet = EioCodec.decode(text);
        } catch (MalformedPacketException e) {
            engine.countMalformed();
            s.close("parse error");
            return;
        }
        if (upgrading) {
            if (packet.type() == EioPacket.Type.PING && packet.data().equals("probe") && s.probeStarted(socket)) {
                socket.outbound().offer(ByteBuffer.wrap("3probe".getBytes(StandardCharsets.UTF_8)));
            } else if (packet.type() == EioPacket.Type.UPGRADE && s.upgraded(socket)) {
                upgrading = false;
            } else {
                engine.countMalformed();
                socket.close(CloseCodes.POLICY_VIOLATION, "upgrade failed");
            }
            return;
        }
        s.onPacket(packet);
    }

    @Override
    public void onBinary() {
        EioSession s = session;
        if (s != null && !upgrading) {
            s.onPacket(EioPacket.BINARY);
        }
    }

    @Override
    public void onClosed() {
        EioSession s = session;
        if (s != null) {
            s.socketClosed(socket);
        }
    }

    @Override
    public String dialect() {
        return "socketio";
    }

    @Override
    public Endpoint endpoint() {
        EioSession s = session;
        return s == null || upgrading ? new Nobody(engine.host().adapter(), socket.id()) : s.endpoint();
    }
}
