package org.sigbridge.web.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.socketio.eio.codec.EioCodec;
import org.sigbridge.web.socketio.eio.codec.EioPacket;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.eio.codec.PayloadFraming;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session (docs/dialects.md §7.2, §7.3) as one {@link WebConnection}, whatever carries it: HTTP
 * long-polling (a GET is held until packets wait; a POST delivers), a WebSocket from the start, or polling upgraded to
 * a WebSocket ({@code 2probe}/{@code 3probe}/{@code 5}). What differs per revision — the open packet, the keep-alive
 * ({@link Liveness}) and the polling framing ({@link PayloadFraming}) — comes from its {@link EioRevision}.
 *
 * <p>Outbound: the layer above offers Engine.IO packet texts to {@link #outbound()}, a bounded queue whose sink is
 * this session: on polling a batch answers the held GET ({@link PollAnswer}) or waits for the next GET; on a WebSocket
 * it goes to the socket, one frame per packet. A session that starts on a WebSocket uses that socket's queue instead
 * (its sink is the socket itself, which is where this session would send anyway): one queue per connection.
 * Inbound: packets from POSTs and WebSocket frames reach the handler one at a time under the session's inbound lock.
 *
 * <p>Registry: a polling session is in the host's registry (pings are Engine.IO's own, so {@link #ping} does nothing)
 * and holds a per-address slot; once it moves to a WebSocket, that socket (a host connection) represents it and the
 * session leaves the registry ({@link HostSlots}). Threads: any; nothing blocks.
 */
final class EioSession implements WebConnection {

    private static final Logger log = LoggerFactory.getLogger(EioSession.class);

    enum State { POLLING, PROBING, WEBSOCKET, CLOSED }

    /** A batch the queue handed over while no GET was held. */
    private record Pending(List<ByteBuffer> frames, Completion done) {
    }

    private final Engine engine;
    private final String sid;
    private final String id;
    private final EioRevision revision;
    private final PayloadFraming framing;
    private final OutboundQueue queue;
    private final Liveness liveness;
    private final HostSlots slots;
    private final Object inbound = new Object();
    private volatile ConnectionHandler handler;

    // guarded by this
    private State state;
    private WebConnection websocket;
    private WebConnection probe;
    private PollAnswer held;
    private Pending pending;

    EioSession(Engine engine, String sid, String id, String address, WebConnection websocket, EioRevision revision,
               PayloadFraming framing) {
        this.engine = engine;
        this.sid = sid;
        this.id = id;
        this.revision = revision;
        this.framing = framing;
        this.websocket = websocket;
        this.state = websocket == null ? State.POLLING : State.WEBSOCKET;
        this.slots = new HostSlots(engine.host(), this, address, websocket == null);
        // A session that starts on a WebSocket never changes transport: the socket's own queue, whose sink writes to the
        // socket as this session's would, is its queue (one per connection, not two: docs/benchmarks.md, idle memory).
        this.queue = websocket != null ? websocket.outbound()
                : new OutboundQueue(engine.host().limits().outboundQueueFrames(), engine.host().limits().outboundBatchFrames(),
                        this, cause -> log.debug("{}: write failed: {}", id, cause.toString()));
        this.liveness = revision.liveness(this, engine.settings());
    }

    /** Starts the session: queues the open packet, registers a polling session, starts the keep-alive. Called once. */
    void start(ConnectionHandler upper) {
        this.handler = upper;
        boolean polling;
        synchronized (this) {
            polling = state == State.POLLING;
        }
        send(new EioPacket(EioPacket.Type.OPEN, revision.openData(sid, polling, engine.settings())));
        if (polling && !slots.register()) {
            close("the bridge is stopping");
            return;
        }
        engine.host().stats().countConnectionOpened();
        upper.onOpen();
        liveness.start();
    }

    String sid() {
        return sid;
    }

    EioRevision revision() {
        return revision;
    }

    ScheduledExecutorService timer() {
        return engine.host().timer();
    }

    /** The engine's keep-alive queues (Engine.IO 4). */
    ServerPings.Queues pingQueues() {
        return engine.pingQueues();
    }

    synchronized State state() {
        return state;
    }

    /** Queues one packet; on overflow the session closes (a slow consumer). */
    boolean send(EioPacket packet) {
        OutboundQueue.Offer offer = queue.offer(ByteBuffer.wrap(EioCodec.encode(packet).getBytes(StandardCharsets.UTF_8)));
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            close("slow consumer: more than " + engine.host().limits().outboundQueueFrames() + " packets waiting", true);
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    // ---- polling ------------------------------------------------------------------------------------------------

    /** Outcome of a GET on a known session. */
    enum PollOutcome { HELD_OR_ANSWERED, OVERLAP, WRONG_TRANSPORT }

    /** A GET with this session's id. Jetty thread. The caller answers errors. */
    PollOutcome poll(Response response, Callback callback) {
        PollAnswer get = new PollAnswer(response, callback);
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
                held = get;
                return PollOutcome.HELD_OR_ANSWERED;
            }
        }
        if (toWrite == null) {
            get.answer(framing, "6"); // pause for the upgrade
        } else {
            get.answer(framing, toWrite.frames(), toWrite.done(), engine.host().stats());
        }
        return PollOutcome.HELD_OR_ANSWERED;
    }

    /**
     * The body of a POST. Jetty thread.
     *
     * @return false when the body was malformed (the session is closed then, as the reference does)
     */
    boolean post(byte[] body, String contentType) {
        List<EioPacket> packets;
        try {
            packets = framing.decode(body, contentType);
        } catch (MalformedPacketException e) {
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
        PollAnswer toPause;
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
            toPause.answer(framing, "6");
        }
        return true;
    }

    /** The probing WebSocket sent {@code 5}: the session moves to it and what waited is flushed there. */
    boolean upgraded(WebConnection socket) {
        Pending flush;
        PollAnswer stale;
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
        }
        slots.release();
        if (stale != null) {
            stale.answer(framing, "6");
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
            if (state() == State.CLOSED || liveness.onPacket(packet)) {
                return;
            }
            switch (packet.type()) {
                case MESSAGE -> {
                    engine.host().stats().countFrameIn();
                    try {
                        if (packet.binary()) {
                            handler.onBinary();
                        } else {
                            handler.onText(packet.data());
                        }
                    } catch (RuntimeException bug) {
                        failed(bug);
                    }
                }
                case CLOSE -> close("client close");
                case NOOP -> {
                }
                default -> {
                    // OPEN/UPGRADE (and the other side's ping) from a client are out of place here; the reference
                    // ignores them too
                    engine.host().stats().countIgnoredFrame();
                }
            }
        }
    }

    /**
     * A WebSocket frame that is a text MESSAGE ({@code 4…}): as {@link #onPacket} with {@code EioCodec.decode(frame)},
     * and a layer above that reads in place ({@link InPlaceText}) gets the frame's text from index 1, not a copy.
     */
    void onMessageFrame(String frame) {
        synchronized (inbound) {
            if (state() == State.CLOSED || liveness.onPacket(TEXT_MESSAGE)) {
                return;
            }
            engine.host().stats().countFrameIn();
            try {
                if (handler instanceof InPlaceText inPlace) {
                    inPlace.onText(frame, 1);
                } else {
                    handler.onText(frame.substring(1));
                }
            } catch (RuntimeException bug) {
                failed(bug);
            }
        }
    }

    /** What the keep-alive sees of a text MESSAGE (it looks at the type only). */
    private static final EioPacket TEXT_MESSAGE = EioPacket.message("");

    /** A defect of the layer above must not leave a POST unanswered or a socket half-read. */
    private void failed(RuntimeException bug) {
        log.warn("{}: closing session {} after a failure handling a packet", id, sid, bug);
        close("internal error");
    }

    // ---- close --------------------------------------------------------------------------------------------------

    /** Ends the session: a held GET gets a CLOSE packet, a WebSocket is closed, the upper layer's onClosed runs once. */
    void close(String reason) {
        close(reason, false);
    }

    /**
     * As {@link #close(String)}; a slow consumer's close ({@code slowConsumer}: a queue of this session overflowed) is
     * counted in {@code sigbridge_web_slow_consumers_total}, once, by whichever overflow closes the session first.
     */
    private void close(String reason, boolean slowConsumer) {
        PollAnswer toClose;
        WebConnection socket;
        WebConnection probing;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            toClose = held;
            held = null;
            socket = websocket;
            probing = probe;
        }
        if (slowConsumer) {
            engine.host().stats().countSlowConsumer();
        }
        liveness.stop();
        log.debug("{}: session {} closed: {}", id, sid, reason);
        engine.forget(this);
        queue.close();
        if (toClose != null) {
            toClose.answer(framing, "1");
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
        slots.release();
    }

    // ---- WebConnection ------------------------------------------------------------------------------------------

    @Override
    public void send(List<ByteBuffer> frames, Completion done) {
        WebConnection socket = null;
        PollAnswer target = null;
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
            target.answer(framing, frames, done, engine.host().stats());
        } else {
            done.failed(new IllegalStateException("session " + sid + " is closed"));
        }
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
        return slots.address();
    }

    @Override
    public OutboundQueue outbound() {
        return queue;
    }

    /** Engine.IO keeps its sessions alive itself ({@link Liveness}); the host's WebSocket ping is not used. */
    @Override
    public void ping() {
    }

    /**
     * Closes the session (its WebSocket, if any, closes normally, as the reference does). 1013 (RFC 6455 §7.4.1) is
     * what a layer above closes with when this session's queue overflowed on its write ({@code SioSocket}): a slow
     * consumer, counted as the session's own overflow is.
     */
    @Override
    public void close(int statusCode, String reason) {
        close(reason, statusCode == CloseCodes.TRY_AGAIN_LATER);
    }
}
