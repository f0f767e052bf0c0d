package org.sigbridge.web.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.socketio.eio.codec.EioCodec;
import org.sigbridge.web.socketio.eio.codec.EioPacket;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO 4 session (docs/dialects.md §7.3) as one {@link WebConnection}, whatever carries it: HTTP long-polling
 * (a GET is held until packets wait; a POST delivers), a WebSocket from the start, or polling upgraded to a WebSocket
 * ({@code 2probe}/{@code 3probe}/{@code 5}).
 *
 * <p>Outbound: the layer above offers Engine.IO packet texts to {@link #outbound()}, a bounded queue whose sink is
 * this session: on polling a batch answers the held GET (packets joined by {@code \u001e}) or waits for the next
 * GET; on a WebSocket it goes to the socket, one frame per packet. Inbound: packets from POSTs and WebSocket frames
 * reach the handler one at a time under the session's inbound lock.
 *
 * <p>Registry: a polling session is in the host's registry (pings are Engine.IO's own, so {@link #ping} does nothing)
 * and holds a per-address slot; once it moves to a WebSocket, that socket (a host connection) represents it and the
 * session leaves the registry. Threads: any; nothing blocks.
 */
final class EioSession implements WebConnection {

    private static final Logger log = LoggerFactory.getLogger(EioSession.class);
    private static final byte SEPARATOR = (byte) EioCodec.SEPARATOR;

    enum State { POLLING, PROBING, WEBSOCKET, CLOSED }

    /** A held GET: answered by the next batch, a noop (upgrade) or a CLOSE. */
    private record Held(Response response, Callback callback) {
    }

    /** A batch the queue handed over while no GET was held. */
    private record Pending(List<ByteBuffer> frames, Completion done) {
    }

    private final Engine engine;
    private final String sid;
    private final String id;
    private final String address;
    private final OutboundQueue queue;
    private final Object inbound = new Object();
    private volatile ConnectionHandler handler;

    // guarded by this
    private State state;
    private WebConnection websocket;
    private WebConnection probe;
    private Held held;
    private Pending pending;
    private boolean registered;
    /** A polling session holds a per-address slot (taken by the handshake) until it closes or upgrades. */
    private boolean holdsAddress;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pongDeadline;

    EioSession(Engine engine, String sid, String id, String address, WebConnection websocket) {
        this.engine = engine;
        this.sid = sid;
        this.id = id;
        this.address = address;
        this.websocket = websocket;
        this.state = websocket == null ? State.POLLING : State.WEBSOCKET;
        this.holdsAddress = websocket == null;
        this.queue = new OutboundQueue(engine.host().limits().outboundQueueFrames(), engine.host().limits().outboundBatchFrames(),
                this, cause -> log.debug("{}: write failed: {}", id, cause.toString()));
    }

    /** Starts the session: queues the open packet, registers a polling session, starts pings. Called once. */
    void start(ConnectionHandler upper) {
        this.handler = upper;
        long interval = engine.settings().pingInterval().toMillis();
        long timeout = engine.settings().pingTimeout().toMillis();
        String open = "{\"sid\":\"" + sid + "\",\"upgrades\":" + (state == State.POLLING ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + interval + ",\"pingTimeout\":" + timeout
                + ",\"maxPayload\":" + engine.settings().maxHttpBufferSize() + "}";
        send(new EioPacket(EioPacket.Type.OPEN, open));
        if (state == State.POLLING) {
            boolean added;
            synchronized (this) {
                added = engine.host().registry().add(this);
                registered = added;
            }
            if (!added) {
                close("the bridge is stopping");
                return;
            }
        }
        engine.host().stats().countConnectionOpened();
        upper.onOpen();
        schedulePing();
    }

    String sid() {
        return sid;
    }

    synchronized State state() {
        return state;
    }

    /** Queues one packet; on overflow the session closes (a slow consumer). */
    boolean send(EioPacket packet) {
        OutboundQueue.Offer offer = queue.offer(ByteBuffer.wrap(EioCodec.encode(packet).getBytes(StandardCharsets.UTF_8)));
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            engine.host().stats().countSlowConsumer();
            close("slow consumer: more than " + engine.host().limits().outboundQueueFrames() + " packets waiting");
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    // ---- polling ------------------------------------------------------------------------------------------------

    /** Outcome of a GET on a known session. */
    enum PollOutcome { HELD_OR_ANSWERED, OVERLAP, WRONG_TRANSPORT }

    /** A GET with this session's id. Jetty thread. The caller answers errors. */
    PollOutcome poll(Response response, Callback callback) {
        Pending toWrite;
        synchronized (this) {
            if (state == State.WEBSOCKET || state == State.CLOSED) {
                return PollOutcome.WRONG_TRANSPORT;
            }
            if (held != null) {
                return PollOutcome.OVERLAP;
            }
            if (state == State.PROBING) {
                toWrite = null;
            } else if (pending != null) {
                toWrite = pending;
                pending = null;
            } else {
                held = new Held(response, callback);
                return PollOutcome.HELD_OR_ANSWERED;
            }
        }
        if (toWrite == null) {
            answer(new Held(response, callback), List.of(utf8("6")), null); // pause for the upgrade
        } else {
            answer(new Held(response, callback), toWrite.frames(), toWrite.done());
        }
        return PollOutcome.HELD_OR_ANSWERED;
    }

    /**
     * The packets of a POST body. Jetty thread.
     *
     * @return false when the body was malformed (the session is closed then, as the reference does)
     */
    boolean post(String body) {
        List<EioPacket> packets;
        try {
            packets = EioCodec.decodePayload(body);
        } catch (org.sigbridge.web.socketio.eio.codec.MalformedPacketException e) {
            engine.countMalformed();
            log.debug("{}: malformed polling payload: {}", id, e.getMessage());
            close("parse error");
            return false;
        }
        for (EioPacket packet : packets) {
            onPacket(packet);
        }
        return true;
    }

    // ---- WebSocket and upgrade ----------------------------------------------------------------------------------

    /** A WebSocket sent {@code 2probe} for this polling session. False when no upgrade can start now. */
    boolean probeStarted(WebConnection socket) {
        Held toPause;
        synchronized (this) {
            if (state != State.POLLING) {
                return false;
            }
            state = State.PROBING;
            probe = socket;
            toPause = held;
            held = null;
        }
        if (toPause != null) {
            answer(toPause, List.of(utf8("6")), null);
        }
        return true;
    }

    /** The probing WebSocket sent {@code 5}: the session moves to it and what waited is flushed there. */
    boolean upgraded(WebConnection socket) {
        Pending flush;
        Held stale;
        boolean unregister;
        boolean release;
        synchronized (this) {
            if (state != State.PROBING || probe != socket) {
                return false;
            }
            state = State.WEBSOCKET;
            websocket = socket;
            probe = null;
            flush = pending;
            pending = null;
            stale = held;
            held = null;
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
        if (stale != null) {
            answer(stale, List.of(utf8("6")), null);
        }
        if (flush != null) {
            socket.send(flush.frames(), flush.done());
        }
        return true;
    }

    /** A WebSocket of this session closed: the session ends if it was its transport; a failed probe resumes polling. */
    void socketClosed(WebConnection socket) {
        boolean mine;
        synchronized (this) {
            if (probe == socket) {
                probe = null;
                state = state == State.PROBING ? State.POLLING : state;
                return;
            }
            mine = websocket == socket;
        }
        if (mine) {
            close("transport close");
        }
    }

    // ---- inbound ------------------------------------------------------------------------------------------------

    /** One packet from the client, from a POST or a WebSocket frame. */
    void onPacket(EioPacket packet) {
        synchronized (inbound) {
            if (state() == State.CLOSED) {
                return;
            }
            switch (packet.type()) {
                case PONG -> pong();
                case MESSAGE -> {
                    engine.host().stats().countFrameIn();
                    try {
                        if (packet.binary()) {
                            handler.onBinary();
                        } else {
                            handler.onText(packet.data());
                        }
                    } catch (RuntimeException bug) {
                        // a defect of the layer above must not leave a POST unanswered or a socket half-read
                        log.warn("{}: closing session {} after a failure handling a packet", id, sid, bug);
                        close("internal error");
                    }
                }
                case CLOSE -> close("client close");
                case NOOP -> {
                }
                default -> {
                    // OPEN/PING/UPGRADE from a client are out of place here; the reference ignores them too
                    engine.host().stats().countIgnoredFrame();
                }
            }
        }
    }

    // ---- pings --------------------------------------------------------------------------------------------------

    private void schedulePing() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            pingTask = engine.host().timer().schedule(this::sendPing, engine.settings().pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sendPing() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            pongDeadline = engine.host().timer().schedule(() -> close("ping timeout"),
                    engine.settings().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        send(EioPacket.PING);
    }

    private void pong() {
        ScheduledFuture<?> deadline;
        synchronized (this) {
            deadline = pongDeadline;
            pongDeadline = null;
        }
        if (deadline != null) {
            deadline.cancel(false);
            schedulePing();
        }
    }

    // ---- close --------------------------------------------------------------------------------------------------

    /** Ends the session: a held GET gets a CLOSE packet, a WebSocket is closed, the upper layer's onClosed runs once. */
    void close(String reason) {
        Held toClose;
        WebConnection socket;
        WebConnection probing;
        boolean unregister;
        boolean release;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            toClose = held;
            held = null;
            socket = websocket;
            probing = probe;
            unregister = registered;
            registered = false;
            release = holdsAddress;
            holdsAddress = false;
            if (pingTask != null) {
                pingTask.cancel(false);
            }
            if (pongDeadline != null) {
                pongDeadline.cancel(false);
            }
        }
        log.debug("{}: session {} closed: {}", id, sid, reason);
        engine.forget(this);
        queue.close();
        if (toClose != null) {
            answer(toClose, List.of(utf8("1")), null);
        }
        if (socket != null) {
            socket.close(1000, reason);
        }
        if (probing != null) {
            probing.close(1000, reason);
        }
        synchronized (inbound) {
            handler.onClosed();
        }
        if (unregister) {
            engine.host().registry().remove(this);
        }
        if (release) {
            engine.host().registry().addresses().release(address);
        }
    }

    // ---- WebConnection ------------------------------------------------------------------------------------------

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
                    if (held != null && state == State.POLLING) {
                        target = held;
                        held = null;
                    } else {
                        pending = new Pending(frames, done);
                        return;
                    }
                }
            }
        }
        if (socket != null) {
            socket.send(frames, done);
        } else if (target != null) {
            answer(target, frames, done);
        } else {
            done.failed(new IllegalStateException("session " + sid + " is closed"));
        }
    }

    /** Answers a held GET with a payload of {@code frames}; {@code done} (if any) completes with the write. */
    private void answer(Held h, List<ByteBuffer> frames, Completion done) {
        int size = frames.size() - 1;
        for (ByteBuffer f : frames) {
            size += f.remaining();
        }
        ByteBuffer body = ByteBuffer.allocate(Math.max(size, 0));
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                body.put(SEPARATOR);
            }
            body.put(frames.get(i).duplicate());
        }
        body.flip();
        Response response = h.response();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        int count = frames.size();
        response.write(true, body, Callback.from(() -> {
            h.callback().succeeded();
            if (done != null) {
                engine.host().stats().countFramesOut(count);
                done.succeeded();
            }
        }, failure -> {
            h.callback().failed(failure);
            if (done != null) {
                done.failed(failure);
            }
        }));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String dialect() {
        return handler == null ? "socketio" : handler.dialect();
    }

    @Override
    public Endpoint endpoint() {
        return handler.endpoint();
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public OutboundQueue outbound() {
        return queue;
    }

    /** Engine.IO pings its sessions itself (server {@code 2}, client {@code 3}); the host's WebSocket ping is not used. */
    @Override
    public void ping() {
    }

    /** Closes the session; the status code is for a WebSocket transport. */
    @Override
    public void close(int statusCode, String reason) {
        close(reason);
    }
}
