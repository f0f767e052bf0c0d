package org.sigbridge.web.signalr;

import java.util.List;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.limit.RateGuard;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.signalr.protocol.HubFrames;
import org.sigbridge.web.signalr.protocol.HubMessage;
import org.sigbridge.web.signalr.protocol.HubMessageReader;
import org.sigbridge.web.signalr.protocol.HubProtocolException;
import org.sigbridge.web.signalr.protocol.HubRecords;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SignalR connection over a WebSocket as a hub {@link Endpoint}: the handshake, the broadcast hub's {@code Send}
 * method ({@link HubSendMethod}), completions, pings and the client timeout (docs/signalr.md); records are queued
 * through a {@link FrameWriter}. Bad input is answered in the hub protocol's
 * terms: a completion error for a call that cannot be made, a Close message with the error for a message that cannot
 * be read; each is counted ({@code sigbridge_web_bad_frames_total}, {@code sigbridge_web_ignored_frames_total}).
 *
 * <p>Threads: {@link #onOpen}, {@link #onText}, {@link #onBinary} and {@link #onClosed} run on the connection's
 * reader, one at a time; {@link #deliver} and {@link #deliveryFailed} on publishing threads, {@link #tick} on the
 * timer. Those only enqueue.
 */
final class HubConnection implements ConnectionHandler, HubMember {

    private static final Logger log = LoggerFactory.getLogger(HubConnection.class);
    /** RFC 6455 §7.4.1 normal closure: the Close message says why. */
    private static final int NORMAL = 1000;

    private final WebConnection connection;
    private final HubServer server;
    private final String hubName;
    private final String requestedToken;
    /** Why this socket cannot be a connection, answered at the handshake; {@code null} when it can. */
    private final String refusal;
    private final RateGuard rate;
    private final long openedMillis;
    private volatile String token;
    private volatile String connectionId;
    private volatile boolean handshaken;
    private volatile boolean closed;
    private volatile long lastReceived;
    /** The socket's outbound queue, and when a record was last queued (for keep-alive pings). */
    private final FrameWriter out;
    /** The hub's {@code Send} method, as this connection's client invokes it. */
    private final HubSendMethod sendMethod;
    /** Set by {@link #onOpen} when the token could not be claimed; reader thread only. */
    private String refusedAtHandshake;

    HubConnection(WebConnection connection, HubServer server, String hubName, String token, String refusal) {
        this.connection = connection;
        this.server = server;
        this.hubName = hubName;
        this.requestedToken = token;
        this.refusal = refusal;
        this.openedMillis = server.hub().clock().millis();
        this.lastReceived = openedMillis;
        this.out = new FrameWriter(connection, server.host().stats(), server.hub().clock(), openedMillis);
        this.sendMethod = new HubSendMethod(server, this, out);
        this.rate = new RateGuard(server.host().limits().messagesPerSecond(), server.host().limits().burst(),
                server.host().limits().closeAfter(), System::nanoTime);
    }

    @Override
    public String hubName() {
        return hubName;
    }

    /** The connection token this socket holds, or {@code null} before it claimed one. */
    String token() {
        return token;
    }

    /** The public connection id (negotiate's {@code connectionId}); the socket's endpoint id until claimed. */
    @Override
    public String connectionId() {
        String id = connectionId;
        return id == null ? connection.id() : id;
    }

    @Override
    public String dialect() {
        return SignalRDialect.NAME;
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
    public void onOpen() {
        // Even a socket that will be refused is claimed, so the timer closes it if no handshake comes.
        HubServer.Claim claim = server.claim(refusal == null ? requestedToken : null, this);
        if (claim instanceof HubServer.Claim.Fresh fresh) {
            token = fresh.token();
            connectionId = fresh.connectionId();
        } else if (claim instanceof HubServer.Claim.Refused refused) {
            refusedAtHandshake = refused.error();
        }
    }

    @Override
    public void onText(String text) {
        server.host().stats().countFrameIn();
        lastReceived = server.hub().clock().millis();
        List<String> records;
        try {
            records = HubRecords.split(text, server.settings().maxMessageBytes());
        } catch (HubProtocolException e) {
            badInput(e);
            return;
        }
        int first = 0;
        if (!handshaken) {
            if (!handshake(records.get(0))) {
                return;
            }
            first = 1;
        }
        for (int i = first; i < records.size() && !closed; i++) {
            HubMessage message;
            try {
                message = HubMessageReader.read(records.get(i));
            } catch (HubProtocolException e) {
                badInput(e);
                return;
            }
            if (admitted(message)) {
                dispatch(message);
            }
        }
    }

    /** Answers the handshake; true when the connection is now open for hub messages. */
    private boolean handshake(String record) {
        String error = refusal != null ? refusal : refusedAtHandshake;
        if (error == null) {
            try {
                HubMessageReader.HandshakeRequest request = HubMessageReader.handshake(record);
                if (!request.protocol().equals("json")) {
                    error = "The protocol '" + request.protocol() + "' is not supported.";
                } else if (request.version() != 1) {
                    error = "The server does not support version " + request.version() + " of the 'json' protocol.";
                }
            } catch (HubProtocolException e) {
                error = "An unexpected error occurred during connection handshake. " + e.getMessage();
            }
        }
        if (error != null) {
            server.host().stats().countBadFrame();
            server.host().stats().countError(ErrorCode.NOT_PERMITTED);
            log.debug("{}: SignalR handshake on hub '{}' refused: {}", id(), hubName, error);
            send(HubFrames.handshakeError(error));
            connection.closeWith(NORMAL, "handshake refused");
            closed = true;
            return false;
        }
        SubscribeResult joined = server.join(this);
        if (joined instanceof SubscribeResult.Refused refused) {
            server.host().stats().countError(refused.code());
            send(HubFrames.handshakeError(refused.code().wire() + ": " + refused.detail()));
            connection.closeWith(NORMAL, "hub channel refused");
            closed = true;
            return false;
        }
        handshaken = true;
        send(HubFrames.HANDSHAKE_OK);
        log.debug("{}: SignalR connection {} joined hub '{}'", id(), connectionId(), hubName);
        return true;
    }

    private void dispatch(HubMessage message) {
        if (message instanceof HubMessage.Invocation call) {
            sendMethod.invoke(call);
        } else if (message instanceof HubMessage.StreamInvocation stream) {
            server.host().stats().countIgnoredFrame();
            send(HubFrames.completionError(stream.invocationId(), "Unknown hub method '" + stream.target()
                    + "': this hub has no streaming methods."));
        } else if (message instanceof HubMessage.Close close) {
            log.debug("{}: the SignalR client closed{}", id(), close.error() == null ? "" : ": " + close.error());
            connection.closeWith(NORMAL, "client closed");
            closed = true;
        } else if (message instanceof HubMessage.CancelInvocation || message instanceof HubMessage.Unsolicited) {
            server.host().stats().countIgnoredFrame();
        }
        // Ping: lastReceived is already updated.
    }

    /** A message that could not be read: ASP.NET Core closes the connection with an error; so do we, saying which. */
    private void badInput(HubProtocolException e) {
        server.host().stats().countBadFrame();
        server.host().stats().countError(ErrorCode.INVALID_JSON);
        log.debug("{}: closing SignalR connection {}: {}", id(), connectionId(), e.getMessage());
        if (!handshaken) {
            send(HubFrames.handshakeError("An unexpected error occurred during connection handshake. " + e.getMessage()));
            connection.closeWith(NORMAL, "bad handshake");
            closed = true;
            return;
        }
        closeWithError("Connection closed with an error. InvalidDataException: " + e.getMessage(), NORMAL);
    }

    /**
     * The per-connection rate limit, one token per hub message (several may share a frame). Over it a message is
     * dropped and counted, and a blocking call is completed with {@code rate_limited} (the hub protocol has no frame
     * for "slow down"); after {@code close-after} in a row the connection is closed with an error and 1008.
     */
    private boolean admitted(HubMessage message) {
        switch (rate.check()) {
            case ACCEPT -> {
                return true;
            }
            case REFUSE -> {
                server.host().stats().countRateLimited();
                if (message instanceof HubMessage.Invocation call && call.invocationId() != null) {
                    send(HubFrames.completionError(call.invocationId(), ErrorCode.RATE_LIMITED.wire()
                            + ": too many messages; this call was dropped."));
                }
                return false;
            }
            default -> {
                server.host().stats().countRateLimited();
                closeWithError("Rate limit exceeded: too many messages; closing.", CloseCodes.POLICY_VIOLATION);
                return false;
            }
        }
    }

    private void closeWithError(String error, int code) {
        send(HubFrames.close(error));
        connection.closeWith(code, "closed with an error");
        closed = true;
    }

    /** Writes one record; false when the socket is closed or too slow (then closed with 1013). Any thread. */
    private boolean send(String frame) {
        return out.write(frame);
    }

    /** Writes a record that reports a failure to this connection's client, through the queue's reserve. Any thread. */
    private boolean report(String frame) {
        return out.writeReport(frame);
    }

    /**
     * A broadcast on one of the hub's channels: {@code onMessageReceived(text)}. Publishing thread.
     *
     * <p>A connection that has closed, or has joined its hub's channels but not yet answered the handshake, refuses the
     * envelope and tells its sender by id ({@link EnvelopeReceipt}, docs/design.md §2.4): the hub hands an envelope to
     * the subscribers it read before the fan-out began (a copy-on-write array), so a connection that leaves meanwhile
     * is still handed it, and the hub counts that refusal as a subscriber's own business, reporting nothing itself.
     */
    @Override
    public DeliveryResult deliver(Envelope envelope) {
        EnvelopeReceipt receipt = new EnvelopeReceipt(envelope, server.hub(), id());
        if (closed || !handshaken) {
            receipt.notWritten(closed ? "the SignalR connection " + connectionId() + " has closed"
                    : "the SignalR connection " + connectionId() + " had not completed its handshake");
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "SignalR connection " + connectionId() + " is gone");
        }
        String text = HubText.delivered(envelope.channel(), envelope.message(), server.settings().channelOf(hubName));
        if (!out.write(HubFrames.invocation(SignalRDialect.CLIENT_METHOD, JsonValue.string(text)), receipt)) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "SignalR connection " + connectionId()
                    + " could not be written");
        }
        return DeliveryResult.DELIVERED;
    }

    /**
     * A back end failed to deliver a message of ours after it was accepted (an XMPP or SIP leg). The call was already
     * completed with the envelope id as its result, so the page is told by invoking its client method
     * {@code onDeliveryFailed({code, detail, id})} (a page without that handler gets a client-side warning only).
     * Publishing thread.
     */
    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        server.host().stats().countError(failure.code());
        log.info("{}: envelope {} from SignalR connection {} was not delivered: {} {}", id(), failure.envelopeId(),
                connectionId(), failure.code().wire(), failure.detail());
        report(HubFrames.invocation(SignalRDialect.FAILURE_METHOD, new JsonValue("{\"code\":"
                + JsonValue.string(failure.code().wire()).json() + ",\"detail\":" + JsonValue.string(failure.detail()).json()
                + ",\"id\":" + JsonValue.string(failure.envelopeId()).json() + "}")));
    }

    /**
     * A Long Polling poll came: a sign of life, since the client sends no pings over Long Polling (its keep-alive is
     * inherent to the transport, as in ASP.NET Core). Any thread.
     */
    void heard() {
        lastReceived = server.hub().clock().millis();
    }

    /** The timer: handshake timeout, client timeout, keep-alive ping. Timer thread. */
    void tick(long now) {
        if (closed) {
            return;
        }
        if (!handshaken) {
            if (now - openedMillis > server.settings().handshakeTimeout().toMillis()) {
                log.debug("{}: no SignalR handshake within {}; closing", id(), server.settings().handshakeTimeout());
                closed = true;
                connection.closeWith(NORMAL, "no handshake");
            }
            return;
        }
        if (now - lastReceived > server.settings().clientTimeout().toMillis()) {
            log.debug("{}: SignalR connection {} sent nothing for {}; closing", id(), connectionId(),
                    server.settings().clientTimeout());
            closeWithError("Server timeout elapsed without receiving a message from the client.", NORMAL);
        } else if (now - out.lastQueuedMillis() >= server.settings().keepAliveInterval().toMillis()) {
            send(HubFrames.PING);
        }
    }

    /** No hub message of the JSON protocol is binary: a protocol error. */
    @Override
    public void onBinary() {
        badInput(new HubProtocolException("Binary messages are not part of the 'json' hub protocol."));
    }

    @Override
    public void onClosed() {
        closed = true;
        server.leave(this);
    }
}
