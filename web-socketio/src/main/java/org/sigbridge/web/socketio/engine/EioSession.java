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
 * ({@link Liveness}) and the polling framing ({@link PayloadFraming}) — comes from its {@link EioRevision}; which
 * transport carries it now, the held GET and the waiting batch are its {@link SessionTransport}'s.
 *
 * <p>Outbound: the layer above offers Engine.IO packet texts to {@link #outbound()}, a bounded queue whose sink is the
 * session's {@link SessionTransport}: on polling a batch answers the held GET ({@link PollAnswer}) or waits for the
 * next GET; on a WebSocket it goes to the socket, one frame per packet. A session that starts on a WebSocket uses that
 * socket's queue instead (its sink is the socket itself, which is where the transport would send anyway): one queue
 * per connection. Inbound: packets from POSTs and WebSocket frames reach the handler one at a time under the session's
 * inbound lock, as does the handler's {@code onClosed}. Lock order: the inbound lock may be held while the transport's
 * monitor is taken (to read its state), never the other way round.
 *
 * <p>Registry: a polling session is in the host's registry (pings are Engine.IO's own, so {@link #ping} does nothing)
 * and holds a per-address slot; once it moves to a WebSocket, that socket (a host connection) represents it and the
 * session leaves the registry ({@link HostSlots}). Threads: any; nothing blocks.
 */
final class EioSession implements WebConnection {

    private static final Logger log = LoggerFactory.getLogger(EioSession.class);

    private final Engine engine;
    private final String sid;
    private final String id;
    private final EioRevision revision;
    private final PayloadFraming framing;
    private final OutboundQueue queue;
    private final Liveness liveness;
    private final HostSlots slots;
    private final Object inbound = new Object();
    private final SessionTransport transport;
    private volatile ConnectionHandler handler;

    EioSession(Engine engine, String sid, String id, String address, WebConnection websocket, EioRevision revision,
               PayloadFraming framing) {
        this.engine = engine;
        this.sid = sid;
        this.id = id;
        this.revision = revision;
        this.framing = framing;
        this.slots = new HostSlots(engine.host(), this, address, websocket == null);
        this.transport = new SessionTransport(sid, framing, engine.host().stats(), slots, websocket);
        // A session that starts on a WebSocket never changes transport: the socket's own queue, whose sink writes to the
        // socket as this session's would, is its queue (one per connection, not two: docs/benchmarks.md, idle memory).
        this.queue = websocket != null ? websocket.outbound()
                : new OutboundQueue(engine.host().limits().outboundQueueFrames(), engine.host().limits().outboundBatchFrames(),
                        transport, cause -> log.debug("{}: write failed: {}", id, cause.toString()));
        this.liveness = revision.liveness(this, engine.settings());
    }

    /** Starts the session: queues the open packet, registers a polling session, starts the keep-alive. Called once. */
    void start(ConnectionHandler upper) {
        this.handler = upper;
        boolean polling = transport.state() == SessionTransport.State.POLLING;
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

    SessionTransport.State state() {
        return transport.state();
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

    /** A GET with this session's id ({@link SessionTransport#poll}). Jetty thread. The caller answers errors. */
    SessionTransport.PollOutcome poll(Response response, Callback callback) {
        return transport.poll(response, callback);
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

    /** A WebSocket sent {@code 2probe} for this polling session ({@link SessionTransport#probeStarted}). */
    boolean probeStarted(WebConnection socket) {
        return transport.probeStarted(socket);
    }

    /** The probing WebSocket sent {@code 5} ({@link SessionTransport#upgraded}). */
    boolean upgraded(WebConnection socket) {
        return transport.upgraded(socket);
    }

    /** A WebSocket of this session closed: the session ends if it was its transport; a failed probe resumes polling. */
    void socketClosed(WebConnection socket) {
        if (transport.socketClosed(socket)) {
            close("transport close");
        }
    }

    // ---- inbound ------------------------------------------------------------------------------------------------

    /** One packet from the client, from a POST or a WebSocket frame. */
    void onPacket(EioPacket packet) {
        synchronized (inbound) {
            if (transport.state() == SessionTransport.State.CLOSED || liveness.onPacket(packet)) {
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
            if (transport.state() == SessionTransport.State.CLOSED || liveness.onPacket(TEXT_MESSAGE)) {
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
        SessionTransport.Detached detached = transport.close();
        if (detached == null) {
            return;
        }
        if (slowConsumer) {
            engine.host().stats().countSlowConsumer();
        }
        liveness.stop();
        log.debug("{}: session {} closed: {}", id, sid, reason);
        engine.forget(this);
        queue.close();
        detached.end(framing, reason);
        synchronized (inbound) {
            handler.onClosed();
        }
        slots.release();
    }

    // ---- WebConnection ------------------------------------------------------------------------------------------

    /** The queue's write, which the transport takes ({@link SessionTransport#send}); the queue calls that directly. */
    @Override
    public void send(List<ByteBuffer> frames, Completion done) {
        transport.send(frames, done);
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
