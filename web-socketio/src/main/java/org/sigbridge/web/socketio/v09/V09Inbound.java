package org.sigbridge.web.socketio.v09;

import java.util.List;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.v09.codec.V09Codec;
import org.sigbridge.web.socketio.v09.codec.V09Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of one {@link V09Session} (docs/socketio-09.md): decodes POST payloads and WebSocket frames
 * (malformed ones are counted and ignored, as the reference does), answers heartbeats, ends the session on the client's
 * {@code 0::}, and hands every other packet to the namespace layer ({@link V09Connection}) one at a time under one lock,
 * which also serializes the layer's {@code onOpen} and {@code onClosed}.
 *
 * <p>Threads: any (POST handlers, the WebSocket's reader, the session's close); never blocks but on that lock. After
 * the session closed, packets are dropped.
 */
final class V09Inbound {

    private static final Logger log = LoggerFactory.getLogger(V09Inbound.class);

    private final V09Session session;
    private final V09Engine engine;
    private final Heartbeats heartbeats;
    private final Object lock = new Object();
    private volatile V09Connection handler;

    V09Inbound(V09Session session, V09Engine engine, Heartbeats heartbeats) {
        this.session = session;
        this.engine = engine;
        this.heartbeats = heartbeats;
    }

    /** Sets the namespace layer, once, before any packet arrives (the session's start). */
    void handler(V09Connection h) {
        this.handler = h;
    }

    V09Connection handler() {
        return handler;
    }

    /** The packets of a POST body (a payload). */
    void post(String body) {
        List<String> texts;
        try {
            texts = V09Codec.decodePayload(body);
        } catch (MalformedPacketException e) {
            engine.countMalformed();
            log.debug("{}: malformed 0.9 payload ignored: {}", session.id(), e.getMessage());
            return;
        }
        for (String text : texts) {
            onText(text);
        }
    }

    /** One packet text from a POST or a WebSocket frame. */
    void onText(String text) {
        V09Packet packet;
        try {
            packet = V09Codec.decode(text);
        } catch (MalformedPacketException e) {
            engine.countMalformed();
            log.debug("{}: malformed 0.9 packet ignored ({}): {}", session.id(), e.getMessage(), text.length() > 80 ? text.substring(0, 80) + "…" : text);
            return;
        }
        synchronized (lock) {
            if (session.state() == V09Session.State.CLOSED) {
                return;
            }
            if (packet.type() == V09Packet.Type.HEARTBEAT) {
                heartbeats.answered();
                return;
            }
            if (packet.type() == V09Packet.Type.DISCONNECT && packet.endpoint().isEmpty()) {
                session.close("client disconnect", false);
                return;
            }
            engine.host().stats().countFrameIn();
            try {
                handler.onPacket(packet);
            } catch (RuntimeException bug) {
                log.warn("{}: closing 0.9 session {} after a failure handling a packet", session.id(), session.sid(), bug);
                session.close("internal error", true);
            }
        }
    }

    /** A transport is attached for the first time: the root namespace connects ({@code 1::}) unless already closed. */
    void opened() {
        synchronized (lock) {
            if (session.state() != V09Session.State.CLOSED) {
                handler.onOpen();
            }
        }
    }

    /** The session closed: the namespace layer's {@code onClosed}, in turn with any packet being handled. */
    void closed() {
        synchronized (lock) {
            handler.onClosed();
        }
    }
}
