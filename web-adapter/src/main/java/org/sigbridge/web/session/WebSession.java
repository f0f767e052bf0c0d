package org.sigbridge.web.session;

import java.util.HashSet;
import java.util.Set;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.dialect.ClientFrame;
import org.sigbridge.web.dialect.Dialect;
import org.sigbridge.web.dialect.FrameParser;
import org.sigbridge.web.dialect.ParseResult;
import org.sigbridge.web.dialect.ServerFrames;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.identity.IdentityFrames;
import org.sigbridge.web.identity.TokenVerdict;
import org.sigbridge.web.limit.RateGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One browser WebSocket as a hub {@link Endpoint}: reads its frames, subscribes and publishes for it, and
 * writes what the hub delivers through a bounded {@link OutboundQueue}.
 *
 * <p>Threads: {@link #onText} is called by one Jetty thread at a time (explicit demand), and only it changes
 * the dialect and channel set. {@link #deliver}, {@link #presenceChanged} and {@link #deliveryFailed} are called
 * on any publishing thread; they only format and enqueue, never block. After {@link #onClosed} the session
 * rejects deliveries.
 */
public final class WebSession implements Endpoint {

    private static final Logger log = LoggerFactory.getLogger(WebSession.class);

    private final String id;
    private final String adapter;
    private final AdapterContext context;
    private final SessionLimits limits;
    private final WebStats stats;
    private final SocketControl control;
    private final OutboundQueue queue;
    private final RateGuard rate;
    private final SenderGuard guard;
    /**
     * The channels joined. Replaced, never changed (a socket holds one or two, and an immutable set of two costs far
     * less than a concurrent one); written by the reading thread only.
     */
    private volatile Set<String> channels = Set.of();
    private volatile Dialect dialect;
    private volatile boolean presenceOptIn;
    private volatile boolean closed;
    /** A {@code ?channel=} waiting for the first-frame token in verified mode. */
    private String pendingUrlChannel;

    /**
     * @param dialect {@link Dialect#UNDECIDED} on the root path, else the path's dialect
     * @param sink    where the outbound queue writes
     * @param control closes the socket
     */
    public WebSession(String id, String adapter, AdapterContext context, SessionLimits limits, WebStats stats,
                      Dialect dialect, FrameSink sink, SocketControl control) {
        this(id, adapter, context, limits, stats, dialect, sink, control, SenderGuard.trusting());
    }

    /**
     * @param guard the socket's identity rules ({@link SenderGuard#trusting()} in {@code client} mode)
     */
    public WebSession(String id, String adapter, AdapterContext context, SessionLimits limits, WebStats stats,
                      Dialect dialect, FrameSink sink, SocketControl control, SenderGuard guard) {
        this.guard = guard;
        this.id = id;
        this.adapter = adapter;
        this.context = context;
        this.limits = limits;
        this.stats = stats;
        this.dialect = dialect;
        this.control = control;
        this.queue = new OutboundQueue(limits.outboundQueueFrames(), limits.outboundBatchFrames(), sink,
                cause -> log.debug("{}: write failed: {}", id, cause.toString()));
        this.rate = new RateGuard(limits.messagesPerSecond(), limits.burst(), limits.closeAfter(), System::nanoTime);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return adapter;
    }

    public Dialect dialect() {
        return dialect;
    }

    public OutboundQueue queue() {
        return queue;
    }

    /**
     * Joins a channel named in the URL ({@code ?channel=}). On the root path that makes it an envelope socket from
     * the start (docs/design.md §3.3), so it receives envelopes before it has sent anything. Jetty thread.
     */
    public void joinFromUrl(String channel) {
        if (dialect == Dialect.UNDECIDED) {
            dialect = Dialect.ENVELOPE;
        }
        if (guard.awaitingToken()) {
            pendingUrlChannel = channel;
            return;
        }
        join(channel, null);
    }

    /** A text frame arrived. Jetty thread, one at a time. */
    public void onText(String text) {
        stats.countFrameIn();
        switch (rate.check()) {
            case REFUSE -> {
                stats.countRateLimited();
                sendError(ErrorCode.RATE_LIMITED, "more than " + limits.messagesPerSecond()
                        + " frames per second (burst " + limits.burst() + "); this frame was dropped", null);
                return;
            }
            case CLOSE -> {
                stats.countRateLimited();
                closeWith(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
                return;
            }
            case ACCEPT -> {
                // go on
            }
        }
        if (guard.awaitingToken()) {
            authenticate(text);
            return;
        }
        SenderGuard.Check current = guard.current();
        if (!current.allowed()) {
            sendError(ErrorCode.NOT_PERMITTED, current.detail(), null);
            closeWith(CloseCodes.POLICY_VIOLATION, "token expired");
            return;
        }
        ParseResult result = FrameParser.parse(text, dialect);
        if (result instanceof ParseResult.Bad bad) {
            stats.countBadFrame();
            sendError(bad.code(), bad.detail(), bad.id());
        } else if (result instanceof ParseResult.Parsed parsed) {
            handle(parsed.frame());
        }
    }

    /** A binary frame arrived; no dialect uses them. Jetty thread. */
    public void onBinary() {
        stats.countBadFrame();
        sendError(ErrorCode.INVALID_FRAME, "binary frames are not supported; send JSON text", null);
    }

    private void handle(ClientFrame frame) {
        if (frame instanceof ClientFrame.Open open) {
            if (open.envelopeStyle() && dialect == Dialect.UNDECIDED) {
                dialect = Dialect.ENVELOPE;
            }
            join(open.channel(), null);
        } else if (frame instanceof ClientFrame.Leave leave) {
            if (channels.contains(leave.channel())) {
                channels = without(channels, leave.channel());
                context.unsubscribe(this, leave.channel());
            }
        } else if (frame instanceof ClientFrame.CheckPresence check) {
            SenderGuard.Check scope = guard.channel(check.channel());
            if (!scope.allowed()) {
                sendError(ErrorCode.NOT_PERMITTED, scope.detail(), null);
                return;
            }
            context.probePresence(check.channel())
                    .whenComplete((present, error) -> send(ServerFrames.presenceAnswer(error == null && Boolean.TRUE.equals(present))));
        } else if (frame instanceof ClientFrame.PresenceOptIn optIn) {
            presenceOptIn = optIn.enabled();
        } else if (frame instanceof ClientFrame.Publish publish) {
            publish(publish);
        } else if (frame instanceof ClientFrame.Ignored ignored) {
            stats.countIgnoredFrame();
            log.debug("{}: ignored a frame: {}", id, ignored.why());
        }
    }

    private void publish(ClientFrame.Publish p) {
        if (dialect == Dialect.UNDECIDED) {
            dialect = p.dialect();
        }
        String envelopeId = p.clientId() != null ? p.clientId() : context.envelopeIds().next();
        SenderGuard.Check who = guard.sender(p.sender());
        SenderGuard.Check scope = guard.channel(p.channel());
        if (!who.allowed() || !scope.allowed()) {
            sendError(ErrorCode.NOT_PERMITTED, who.allowed() ? scope.detail() : who.detail(), envelopeId);
            return;
        }
        if (p.dialect() == Dialect.ENVELOPE && !join(p.channel(), envelopeId)) {
            return; // an envelope socket joins by its first send; the refusal was answered
        }
        Envelope envelope = new Envelope(envelopeId, p.channel(), guard.stamp(p.sender()), p.message(), new Origin(adapter, id),
                context.clock().instant());
        // One correlation id from the browser frame to the XMPP stanza / SIP Call-ID: the envelope id, in MDC.
        try (MDC.MDCCloseable e = MDC.putCloseable("envelope", envelopeId);
             MDC.MDCCloseable c = MDC.putCloseable("channel", p.channel());
             MDC.MDCCloseable a = MDC.putCloseable("adapter", adapter)) {
            log.debug("{}: envelope {} from {} on '{}'", id, envelopeId, envelope.sender().json(), p.channel());
            log.trace("{}: envelope {} message {}", id, envelopeId, p.message().json());
            PublishResult result = context.publish(envelope, this);
            if (result instanceof PublishResult.Refused refused) {
                sendError(refused.code(), refused.detail(), envelopeId);
            } else {
                log.trace("{}: envelope {} on '{}' published: {}", id, envelopeId, p.channel(), result);
            }
        }
    }

    /** Verified mode, before the token: the frame must be {@code {"token":"…"}}. */
    private void authenticate(String text) {
        String token = null;
        try {
            JsonValue value = JsonObjectReader.readObject(text).get("token");
            token = value != null && value.isString() ? value.asText() : null;
        } catch (InvalidJsonException e) {
            // answered below like any frame without a token
        }
        if (token == null) {
            sendError(ErrorCode.NOT_PERMITTED, "identity is verified: send {\"token\":\"…\"} first, or connect with ?token=…", null);
            return;
        }
        TokenVerdict verdict = guard.authenticate(token);
        if (verdict instanceof TokenVerdict.Refused refused) {
            log.info("{}: token refused: {}", id, refused.detail());
            sendError(ErrorCode.NOT_PERMITTED, refused.detail(), null);
            closeWith(CloseCodes.POLICY_VIOLATION, "token refused");
            return;
        }
        guard.identity().ifPresent(identity -> send(IdentityFrames.accepted(identity)));
        String pending = pendingUrlChannel;
        pendingUrlChannel = null;
        if (pending != null) {
            join(pending, null);
        }
    }

    /** Subscribes unless already subscribed; answers a refusal with an error frame. */
    private boolean join(String channel, String envelopeId) {
        if (channels.contains(channel)) {
            return true;
        }
        if (channels.size() >= limits.maxChannels()) {
            sendError(ErrorCode.TOO_MANY_CHANNELS, "this connection already holds " + limits.maxChannels()
                    + " channels (max-channels-per-connection); open another socket or leave one", envelopeId);
            return false;
        }
        SenderGuard.Check scope = guard.channel(channel);
        if (!scope.allowed()) {
            sendError(ErrorCode.NOT_PERMITTED, scope.detail(), envelopeId);
            return false;
        }
        SubscribeResult result = context.subscribe(this, channel);
        if (result instanceof SubscribeResult.Refused refused) {
            sendError(refused.code(), refused.detail(), envelopeId);
            return false;
        }
        channels = with(channels, channel);
        return true;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        if (closed) {
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "socket " + id + " is closed");
        }
        if (!send(ServerFrames.delivery(envelope, dialect))) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "socket " + id + " is a slow consumer; closed with 1013");
        }
        return DeliveryResult.DELIVERED;
    }

    @Override
    public void presenceChanged(PresenceEvent event) {
        if (presenceOptIn) {
            send(ServerFrames.presenceEvent(event));
        }
    }

    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        sendError(failure.code(), failure.detail(), failure.envelopeId());
    }

    /** An error frame (docs/design.md §3.9), counted by code. Any thread. */
    private void sendError(ErrorCode code, String detail, String envelopeId) {
        stats.countError(code);
        send(ServerFrames.error(code, detail, envelopeId));
    }

    private boolean send(String frame) {
        return send(new JsonValue(frame));
    }

    /** Enqueues a frame; on overflow closes the socket with 1013 and returns false. Any thread. */
    private boolean send(JsonValue frame) {
        OutboundQueue.Offer offer = queue.offer(frame.utf8());
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            stats.countSlowConsumer();
            log.info("{}: slow consumer: {} frames waiting; closing with 1013", id, limits.outboundQueueFrames());
            closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            return false;
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    /**
     * Starts a close handshake. Frames this loop turn produced (such as the error frame that says why) go out first;
     * what still waits behind a write in flight is dropped. Any thread.
     */
    public void closeWith(int statusCode, String reason) {
        queue.writeHeld();
        queue.close();
        control.close(statusCode, reason);
    }

    /** The socket is gone: leave every channel. Jetty thread; idempotent. */
    public void onClosed() {
        closed = true;
        queue.close();
        context.detach(this);
        channels = Set.of();
    }

    private static Set<String> with(Set<String> set, String item) {
        Set<String> copy = new HashSet<>(set);
        copy.add(item);
        return Set.copyOf(copy);
    }

    private static Set<String> without(Set<String> set, String item) {
        Set<String> copy = new HashSet<>(set);
        copy.remove(item);
        return Set.copyOf(copy);
    }
}
