package org.sigbridge.web.peerjs;

import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.limit.RateGuard;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One PeerJS WebSocket as a hub {@link Endpoint} whose participant id is its PeerJS id: admits it by the reference's
 * rules, relays its messages as addressed envelopes, and writes what the hub delivers to it (the relayed frame, exact).
 *
 * <p>Threads: {@link #onOpen}, {@link #onText}, {@link #onBinary} and {@link #onClosed} run on the connection's
 * reader, one at a time. {@link #deliver} and {@link #deliveryFailed} run on publishing threads, {@link #closeSilent}
 * on the timer; they only enqueue.
 */
final class PeerSession implements ConnectionHandler, Endpoint {

    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    /** RFC 6455 §7.4.1 normal closure: the reference closes with {@code socket.close()}. */
    private static final int NORMAL = 1000;

    private final WebConnection connection;
    private final PeerJsServer server;
    private final String key;
    private final String peerId;
    private final String token;
    private final Participant participant;
    private final RateGuard rate;
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile long lastHeartbeat;

    PeerSession(WebConnection connection, PeerJsServer server, String key, String peerId, String token) {
        this.connection = connection;
        this.server = server;
        this.key = key;
        this.peerId = peerId;
        this.token = token;
        this.participant = new Participant(server.host().adapter(), peerId == null ? connection.id() : peerId,
                peerId == null ? connection.id() : peerId);
        this.lastHeartbeat = server.hub().clock().millis();
        this.rate = new RateGuard(server.host().limits().messagesPerSecond(), server.host().limits().burst(),
                server.host().limits().closeAfter(), System::nanoTime);
    }

    String peerId() {
        return peerId;
    }

    String token() {
        return token;
    }

    long lastHeartbeat() {
        return lastHeartbeat;
    }

    @Override
    public String dialect() {
        return PeerJsDialect.NAME;
    }

    @Override
    public Endpoint endpoint() {
        return this;
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public String adapter() {
        return server.host().adapter();
    }

    @Override
    public Participant participant() {
        return participant;
    }

    /** The reference's admission: parameters, key, id taken, limit; then OPEN and what waited for this id. */
    @Override
    public void onOpen() {
        if (blank(peerId) || blank(token) || blank(key)) {
            refuse(PeerFrames.NO_PARAMETERS, "no id, token or key");
            return;
        }
        if (!key.equals(server.settings().key())) {
            refuse(PeerFrames.INVALID_KEY, "invalid key");
            return;
        }
        switch (server.register(this)) {
            case TAKEN -> refuse(PeerFrames.ID_TAKEN, "id taken");
            case FULL -> refuse(PeerFrames.LIMIT_REACHED, "concurrent limit");
            case REPLACED -> join(false);
            case OPENED -> join(true);
        }
    }

    private void join(boolean open) {
        registered = true;
        SubscribeResult result = server.hub().subscribe(this, server.channel());
        if (result instanceof SubscribeResult.Refused refused) {
            server.unregister(this);
            registered = false;
            refuse(PeerFrames.error(refused.detail()), "channel refused");
            return;
        }
        if (open) {
            send(PeerFrames.OPEN);
        }
        for (PeerJsServer.Waiting w : server.takeWaiting(peerId)) {
            send(w.frame());
        }
    }

    private void refuse(String frame, String why) {
        server.host().stats().countError(ErrorCode.NOT_PERMITTED);
        log.debug("{}: PeerJS socket refused: {}", connection.id(), why);
        connection.outbound().offer(new JsonValue(frame).utf8());
        connection.closeWith(NORMAL, why);
    }

    @Override
    public void onText(String text) {
        server.host().stats().countFrameIn();
        if (!registered) {
            return;
        }
        switch (rate.check()) {
            case REFUSE -> {
                // PeerJS has no frame for it (an ERROR would end the client's Peer): dropped, counted.
                server.host().stats().countRateLimited();
                return;
            }
            case CLOSE -> {
                server.host().stats().countRateLimited();
                connection.closeWith(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
                return;
            }
            case ACCEPT -> {
                // go on
            }
        }
        PeerMessage message;
        try {
            message = PeerMessage.parse(text);
        } catch (InvalidJsonException e) {
            // The reference logs a frame it cannot parse and goes on; so do we, counted.
            server.host().stats().countBadFrame();
            log.debug("{}: ignored a frame that is not a PeerJS message: {}", connection.id(), e.getMessage());
            return;
        }
        String type = message.type();
        if (PeerMessage.HEARTBEAT.equals(type)) {
            lastHeartbeat = server.hub().clock().millis();
        } else if (PeerMessage.LEAVE.equals(type) && message.dst() == null) {
            server.unregister(this);
            registered = false;
            server.hub().detach(this);
        } else if (type != null && PeerMessage.RELAYED.contains(type) && message.dst() != null) {
            relay(type, message);
        } else {
            server.host().stats().countIgnoredFrame();
            log.debug("{}: ignored a PeerJS message of type {}", connection.id(), type);
        }
    }

    private void relay(String type, PeerMessage message) {
        String frame = PeerFrames.relay(type, peerId, message.dst(), message.payload());
        String envelopeId = server.hub().envelopeIds().next();
        Envelope envelope = new Envelope(envelopeId, server.channel(), JsonValue.string(peerId), new JsonValue(frame),
                new Origin(adapter(), id()), server.hub().clock().instant(), message.dst());
        // One correlation id from the PeerJS frame to the XMPP stanza / SIP request: the envelope id, in MDC.
        try (MDC.MDCCloseable e = MDC.putCloseable("envelope", envelopeId);
             MDC.MDCCloseable c = MDC.putCloseable("channel", server.channel());
             MDC.MDCCloseable a = MDC.putCloseable("adapter", adapter())) {
            log.debug("{}: envelope {}: {} from '{}' to '{}'", id(), envelopeId, type, peerId, message.dst());
            log.trace("{}: envelope {} frame {}", id(), envelopeId, frame);
            server.relay(this, new PeerJsServer.Waiting(peerId, message.dst(), frame, envelope, server.hub().clock().millis()), type);
        }
    }

    /** No PeerJS message is binary: ignored and counted, as the reference ignores what it cannot parse. */
    @Override
    public void onBinary() {
        server.host().stats().countBadFrame();
    }

    /** Writes a frame; false if the socket is closed or too slow (then closed with 1013). Any thread. */
    boolean send(String frame) {
        return send(frame, null);
    }

    /**
     * {@link #send(String)} for a frame that carries an envelope: once queued, a drop before it is written reaches the
     * envelope's sender ({@link EnvelopeReceipt}; a PeerJS sender hears LEAVE, see {@link #deliveryFailed}).
     */
    private boolean send(String frame, EnvelopeReceipt receipt) {
        OutboundQueue.Offer offer = connection.outbound().offer(new JsonValue(frame).utf8(), receipt);
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            server.host().stats().countSlowConsumer();
            connection.closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            return false;
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    /**
     * Writes a frame that reports a failure to this peer's client (LEAVE for a message that could not be delivered,
     * EXPIRE for messages that waited too long) through the queue's reserve ({@link OutboundQueue#offerReport}): when a
     * slow consumer is closed, every message that waited for it is reported to its sender at once, and a sender that
     * keeps up must not be closed by that burst (docs/reliability.md, "browser stall"). Beyond the reserve the socket is
     * closed as a slow consumer. Any thread; never blocks.
     */
    boolean report(String frame) {
        OutboundQueue.Offer offer = connection.outbound().offerReport(new JsonValue(frame).utf8());
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            server.host().stats().countSlowConsumer();
            connection.closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            return false;
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    /**
     * Writes the relayed frame. A peer that has closed or left (the hub hands an envelope to the subscribers it read when
     * its fan-out began, so one that left meanwhile is still handed it) refuses it {@code no_such_recipient} and tells
     * the sender by envelope id ({@link Endpoint#deliver}, docs/design.md §2.4): a PeerJS sender here hears nothing more,
     * as its relay queues the message for the absent peer ({@link PeerJsServer#relay}); one on another instance queues
     * it there ({@link #deliveryFailed}); any other client gets its dialect's error naming the id. A frame the socket's
     * queue refuses (full: the socket is closed as a slow consumer; or closing) is reported the same way, as
     * {@code upstream_unavailable} (the queue reports only frames it took, {@link OutboundQueue#offer}).
     */
    /** A PeerJS client never resumes from a position (the PeerJS server protocol has none) (docs/design.md §3.8): its channels' history need not keep envelopes for it. */
    @Override
    public boolean resumes() {
        return false;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        if (closed || !registered) {
            String why = "PeerJS peer '" + peerId + "' is gone";
            server.hub().reportFailure(envelope, ErrorCode.NO_SUCH_RECIPIENT, "not delivered to " + id() + ": " + why);
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, why);
        }
        EnvelopeReceipt receipt = new EnvelopeReceipt(envelope, server.hub(), id());
        if (!send(envelope.message().json(), receipt)) {
            // The reference closes a peer it cannot write to and tells the sender LEAVE: a PeerJS sender here hears that
            // (its report below finds nothing in flight), any other sender the report, naming the envelope.
            tellLeave(envelope);
            receipt.notWritten("PeerJS peer '" + peerId + "' is a slow consumer or closing");
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "PeerJS peer '" + peerId + "' could not be written");
        }
        return DeliveryResult.DELIVERED;
    }

    /** Tells the local sender of {@code envelope} that this peer left. */
    private void tellLeave(Envelope envelope) {
        String sender = envelope.sender().asText();
        PeerSession from = sender == null ? null : server.peer(sender);
        if (from != null && from != this) {
            from.report(PeerFrames.leave(peerId, sender));
        }
    }

    /** A link refused a message of ours: an absent peer may still come ({@code no_such_recipient}), so it waits. */
    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        if (failure.code() == ErrorCode.NO_SUCH_RECIPIENT) {
            server.refusedLater(failure.envelopeId());
        } else {
            PeerJsServer.Waiting w = server.forget(failure.envelopeId());
            if (w != null) {
                report(PeerFrames.leave(w.dst(), peerId));
            }
        }
    }

    /** Another socket with this id and token took over. */
    void replaced() {
        registered = false;
        server.hub().detach(this);
        connection.closeWith(NORMAL, "replaced");
    }

    /** Alive timeout: closed without a frame, as the reference does. Timer thread. */
    void closeSilent() {
        server.unregister(this);
        connection.closeWith(NORMAL, "no heartbeat");
    }

    /** Leaves the channel; nobody is told (peers learn it through WebRTC, as with the reference). */
    @Override
    public void onClosed() {
        closed = true;
        registered = false;
        server.unregister(this);
        server.hub().detach(this);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
