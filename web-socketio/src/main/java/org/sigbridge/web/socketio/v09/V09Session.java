package org.sigbridge.web.socketio.v09;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.socketio.v09.codec.V09Codec;
import org.sigbridge.web.socketio.v09.codec.V09Packet;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket.IO 0.9 session (docs/socketio-09.md) as one {@link WebConnection}: created by a handshake, then carried
 * by xhr-polling or jsonp-polling GETs (held until packets wait, at most {@link V09Engine#pollHold()}, then answered
 * {@code 8::}) and POSTs, or by one WebSocket ({@code /socket.io/1/websocket/<sid>}).
 *
 * <p>Outbound: the queue ({@link #outbound()}) takes 0.9 packet texts written here and the {@code 4<v5 packet>} texts
 * {@link org.sigbridge.web.socketio.sio.SioSocket} writes for families; the sink ({@link #send}) turns the latter into
 * 0.9 packets ({@link V09Events#fromSio}), then answers the held GET with the batch ({@code \ufffd}-framed when more
 * than one; wrapped in {@code io.j[n](…)} for JSONP) or writes one WebSocket frame per packet. Inbound packets reach
 * the {@link V09Connection} one at a time through {@link V09Inbound}.
 *
 * <p>Registry: from the handshake until a WebSocket carries it, the session is in the host's registry and holds a
 * per-address slot; the WebSocket (a host connection) represents it afterwards. Threads: any; nothing blocks.
 */
final class V09Session implements WebConnection {

    private static final Logger log = LoggerFactory.getLogger(V09Session.class);
    private static final String RECONNECT = V09Codec.encode(V09Packet.error("", V09Packet.Reason.CLIENT_NOT_HANDSHAKEN, true));

    enum State { HANDSHAKEN, POLLING, WEBSOCKET, CLOSED }

    /** A held GET; {@code jsonp} is the {@code i} index of a JSONP poll, or -1 for xhr-polling. */
    record Held(Response response, Callback callback, int jsonp) {
    }

    private record Pending(List<ByteBuffer> frames, Completion done) {
    }

    private final V09Engine engine;
    private final String sid;
    private final String id;
    private final String address;
    private final OutboundQueue queue;
    private final V09Inbound inbound;
    private final PollWriter writer;
    private final Heartbeats heartbeats;

    // guarded by this
    private State state = State.HANDSHAKEN;
    private WebConnection websocket;
    private Held held;
    private Pending pending;
    private boolean registered;
    private boolean holdsAddress = true;
    private ScheduledFuture<?> closeTimer;
    private ScheduledFuture<?> holdTimer;

    V09Session(V09Engine engine, String sid, String id, String address) {
        this.engine = engine;
        this.sid = sid;
        this.id = id;
        this.address = address;
        this.queue = new OutboundQueue(engine.host().limits().outboundQueueFrames(), engine.host().limits().outboundBatchFrames(),
                this, cause -> log.debug("{}: write failed: {}", id, cause.toString()));
        this.writer = new PollWriter(id, engine.host().stats(), this::armCloseTimer);
        this.heartbeats = new Heartbeats(engine.host().timer(), engine.settings().pingInterval().toMillis(),
                engine.settings().pingTimeout().toMillis(), () -> send(V09Packet.HEARTBEAT), () -> close("heartbeat timeout", true));
        this.inbound = new V09Inbound(this, engine, heartbeats);
    }

    /** After the handshake: builds the namespace layer, registers, arms the close timer. False if not accepted. */
    boolean start(HandshakeQuery query, V09Engine.Upper upper) {
        inbound.handler(upper.open(this, query));
        boolean added;
        synchronized (this) {
            added = engine.host().registry().add(this);
            registered = added;
            holdsAddress = added; // when refused, the handshake's caller releases the address slot
        }
        if (!added) {
            close("the bridge is stopping", true);
            return false;
        }
        engine.host().stats().countConnectionOpened();
        armCloseTimer();
        return true;
    }

    String sid() {
        return sid;
    }

    synchronized State state() {
        return state;
    }

    /** Queues one 0.9 packet; on overflow the session closes (a slow consumer). */
    boolean send(V09Packet packet) {
        OutboundQueue.Offer offer = queue.offer(ByteBuffer.wrap(V09Codec.encode(packet).getBytes(StandardCharsets.UTF_8)));
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            close("slow consumer: more than " + engine.host().limits().outboundQueueFrames() + " packets waiting", true, true);
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    // ---- polling ------------------------------------------------------------------------------------------------

    /** A GET of xhr-polling ({@code jsonp} -1) or jsonp-polling. False when the session is carried by a WebSocket. */
    boolean poll(Response response, Callback callback, int jsonp) {
        boolean first = false;
        Held replaced;
        Pending toWrite = null;
        Held h = new Held(response, callback, jsonp);
        synchronized (this) {
            if (state == State.WEBSOCKET || state == State.CLOSED) {
                return false;
            }
            if (state == State.HANDSHAKEN) {
                state = State.POLLING;
                first = true;
            }
            cancel(closeTimer);
            replaced = held;
            held = null;
            if (pending != null) {
                toWrite = pending;
                pending = null;
            } else {
                held = h;
                cancel(holdTimer);
                holdTimer = engine.host().timer().schedule(() -> expire(h), engine.pollHold().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (replaced != null) {
            writer.answer(replaced, List.of(V09Codec.encode(V09Packet.NOOP)), null);
        }
        if (toWrite != null) {
            writer.answer(h, writer.translate(toWrite.frames()), toWrite.done());
        }
        if (first) {
            attached();
        }
        return true;
    }

    private void expire(Held h) {
        synchronized (this) {
            if (held != h) {
                return;
            }
            held = null;
        }
        writer.answer(h, List.of(V09Codec.encode(V09Packet.NOOP)), null);
    }

    /** The packets of a POST body (a payload). Malformed packets are counted and ignored, as the reference does. */
    void post(String body) {
        inbound.post(body);
    }

    // ---- WebSocket ----------------------------------------------------------------------------------------------

    /** A WebSocket opened for this session; false unless the session was never carried before. */
    boolean attach(WebConnection socket) {
        boolean unregister;
        boolean release;
        synchronized (this) {
            if (state != State.HANDSHAKEN) {
                return false;
            }
            state = State.WEBSOCKET;
            websocket = socket;
            cancel(closeTimer);
            unregister = registered;
            registered = false;
            release = holdsAddress;
            holdsAddress = false;
        }
        if (unregister) {
            engine.host().registry().remove(this);
        }
        if (release) {
            engine.host().registry().addresses().release(address);
        }
        attached();
        return true;
    }

    /** The session's WebSocket closed: the session ends. */
    void socketClosed(WebConnection socket) {
        boolean mine;
        synchronized (this) {
            mine = websocket == socket;
        }
        if (mine) {
            close("transport close", false);
        }
    }

    // ---- inbound ------------------------------------------------------------------------------------------------

    /** A transport is attached for the first time: the root namespace connects ({@code 1::}), heartbeats start. */
    private void attached() {
        inbound.opened();
        heartbeats.start();
    }

    /** One packet text from a POST or a WebSocket frame ({@link V09Inbound}). */
    void onText(String text) {
        inbound.onText(text);
    }

    // ---- close timeout --------------------------------------------------------------------------------

    /** A polling session must poll again (a new session be used) within the close timeout. */
    synchronized void armCloseTimer() {
        if (state == State.HANDSHAKEN || state == State.POLLING) {
            cancel(closeTimer);
            closeTimer = engine.host().timer().schedule(() -> close("close timeout", true), engine.timeoutSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    // ---- close --------------------------------------------------------------------------------------------------

    /**
     * Ends the session: a held GET is answered ({@code 7:::1+0}, "reconnect", unless the client asked to disconnect:
     * then {@code 0::}), a WebSocket is closed, the namespace layer's onClosed runs once. Any thread; idempotent.
     */
    void close(String reason, boolean reconnect) {
        close(reason, reconnect, false);
    }

    /**
     * As {@link #close(String, boolean)}; a slow consumer's close ({@code slowConsumer}: a queue of this session
     * overflowed) is counted in {@code sigbridge_web_slow_consumers_total}, once, by whichever overflow closes first.
     */
    private void close(String reason, boolean reconnect, boolean slowConsumer) {
        Held toClose;
        Pending unsent;
        WebConnection socket;
        boolean unregister;
        boolean release;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            toClose = held;
            held = null;
            unsent = pending; // a batch no GET came for: its envelopes' senders are told (EnvelopeReceipt)
            pending = null;
            socket = websocket;
            unregister = registered;
            registered = false;
            release = holdsAddress;
            holdsAddress = false;
            cancel(closeTimer);
            cancel(holdTimer);
        }
        if (slowConsumer) {
            engine.host().stats().countSlowConsumer();
        }
        heartbeats.stop();
        log.debug("{}: 0.9 session {} closed: {}", id, sid, reason);
        engine.forget(this);
        queue.close();
        if (unsent != null) {
            unsent.done().failed(new IllegalStateException("0.9 session " + sid + " closed (" + reason + ") before a poll took it"));
        }
        String last = reconnect ? RECONNECT : V09Codec.encode(V09Packet.disconnect(""));
        if (toClose != null) {
            writer.answer(toClose, List.of(last), null);
        }
        if (socket != null) {
            if (reconnect) {
                socket.outbound().offer(ByteBuffer.wrap(last.getBytes(StandardCharsets.UTF_8)));
            }
            socket.closeWith(1000, reason);
        }
        inbound.closed();
        if (unregister) {
            engine.host().registry().remove(this);
        }
        if (release) {
            engine.host().registry().addresses().release(address);
        }
    }

    // ---- WebConnection ------------------------------------------------------------------------------------------

    /** The queue's sink: one batch to the WebSocket, the held GET, or kept for the next GET. */
    @Override
    public void send(List<ByteBuffer> frames, Completion done) {
        WebConnection socket = null;
        Held target = null;
        synchronized (this) {
            switch (state) {
                case WEBSOCKET -> socket = websocket;
                case CLOSED -> {
                }
                default -> {
                    if (held == null) {
                        pending = new Pending(frames, done);
                        return;
                    }
                    target = held;
                    held = null;
                    cancel(holdTimer);
                }
            }
        }
        if (socket != null) {
            List<ByteBuffer> out = new ArrayList<>(frames.size());
            for (String packet : writer.translate(frames)) {
                out.add(ByteBuffer.wrap(packet.getBytes(StandardCharsets.UTF_8)));
            }
            socket.send(out, done);
        } else if (target != null) {
            writer.answer(target, writer.translate(frames), done);
        } else {
            done.failed(new IllegalStateException("0.9 session " + sid + " is closed"));
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String dialect() {
        return V09Connection.DIALECT;
    }

    @Override
    public Endpoint endpoint() {
        return inbound.handler().endpoint();
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public OutboundQueue outbound() {
        return queue;
    }

    /** 0.9 sessions have their own heartbeats ({@code 2::}); the host's ping is not used. */
    @Override
    public void ping() {
    }

    /**
     * Closes the session (drain, shutdown, a slow consumer): the client is told to reconnect. 1013 (RFC 6455 §7.4.1) is
     * what {@code SioSocket} closes with when this session's queue overflowed on its write: counted as a slow consumer.
     */
    @Override
    public void close(int statusCode, String reason) {
        close(reason, true, statusCode == CloseCodes.TRY_AGAIN_LATER);
    }
}
