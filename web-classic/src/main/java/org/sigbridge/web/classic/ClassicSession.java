package org.sigbridge.web.classic;

import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.classic.frames.ClientFrame;
import org.sigbridge.web.classic.frames.FrameParser;
import org.sigbridge.web.classic.frames.Mode;
import org.sigbridge.web.classic.frames.ParseResult;
import org.sigbridge.web.classic.frames.ServerFrames;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.limit.RateGuard;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.session.SessionLimits;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.sigbridge.support.EnvelopeMdc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channels or envelope WebSocket as a hub {@link Endpoint}: reads its frames, subscribes and publishes for it, and
 * writes what the hub delivers. Writing is {@link ClassicOutput}'s job, the channel set {@link Memberships}', the
 * verified-identity first frame {@link TokenHandshake}'s, the wire format {@link FrameParser}'s and
 * {@link ServerFrames}'.
 *
 * <p>Threads: {@link #onOpen}, {@link #onText} and {@link #onBinary} are called by one reading thread at a time
 * (explicit demand), and only they change the mode and channel set. {@link #deliver}, {@link #presenceChanged} and
 * {@link #deliveryFailed} are called on any publishing thread; they only format and enqueue, never block. After
 * {@link #onClosed} the session rejects deliveries.
 *
 * <p>{@link DeliveryResult#DELIVERED} means queued for this socket; a delivery refused here, or dropped unwritten later
 * (a 1013 close of a slow consumer, a socket gone with frames waiting), is reported to the envelope's sender by id
 * through an {@link EnvelopeReceipt} (docs/design.md §2.4).
 */
final class ClassicSession implements Endpoint, ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(ClassicSession.class);

    private final String id;
    private final String adapter;
    private final AdapterContext context;
    private final SessionLimits limits;
    private final WebStats stats;
    private final RateGuard rate;
    private final SenderGuard guard;
    private final ClassicOutput out;
    private final Memberships channels;
    private final String urlChannel;
    private volatile Mode mode;
    private volatile boolean presenceOptIn;
    /** Whether deliveries carry their position (docs/dialects.md §5.4). */
    private volatile boolean positions;
    private volatile boolean closed;
    /**
     * The name a channels socket speaks as, from its {@code open} or {@code resume} frame (docs/dialects.md §2.2), or
     * {@code null}; stamped on its {@code {channel, data}} publishes. Written by the reading thread only; read by it and
     * at the close.
     */
    private volatile String channelsSender;
    /** Its side of seed-dialect checkpoints (docs/design.md §3.8), or {@code null} when it gets none. */
    private final SeedResume seed;
    /** Session strings that carry a provable participant on a cluster, and the one it proved (docs/cluster.md §4). */
    private final HandedOverIdentity identity;
    /** A {@code ?channel=} waiting for the first-frame token in verified mode. */
    private String pendingUrlChannel;

    /**
     * @param mode       {@link Mode#UNDECIDED} on the catch-all path, else the path's mode
     * @param guard      the connection's identity rules ({@link SenderGuard#trusting()} in {@code client} mode)
     * @param urlChannel the upgrade URL's {@code ?channel=}, or {@code null}
     * @param checkpoints the mount's seed-dialect checkpoints
     */
    ClassicSession(WebConnection connection, String adapter, AdapterContext context, SessionLimits limits, WebStats stats,
                   Mode mode, SenderGuard guard, String urlChannel, Checkpoints checkpoints) {
        this.id = connection.id();
        this.adapter = adapter;
        this.context = context;
        this.limits = limits;
        this.stats = stats;
        this.mode = mode;
        this.guard = guard;
        this.urlChannel = urlChannel;
        this.out = new ClassicOutput(connection, stats, limits.outboundQueueFrames());
        this.identity = new HandedOverIdentity(context, adapter);
        this.seed = checkpoints.enabledFor(guard.isVerified()) ? new SeedResume(checkpoints, id, stats) : null;
        this.channels = new Memberships(this, context, guard, limits.maxChannels(), out, seed);
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

    @Override
    public String dialect() {
        return mode.wire();
    }

    @Override
    public Endpoint endpoint() {
        return this;
    }

    /**
     * Joins the channel named in the URL ({@code ?channel=}). On the catch-all path that makes it an envelope socket
     * from the start (docs/design.md §3.3), so it receives envelopes before it has sent anything.
     */
    @Override
    public void onOpen() {
        if (urlChannel == null || urlChannel.isEmpty()) {
            return;
        }
        if (mode == Mode.UNDECIDED) {
            mode = Mode.ENVELOPE;
        }
        if (guard.awaitingToken()) {
            pendingUrlChannel = urlChannel;
            return;
        }
        channels.join(urlChannel, null, seedSender());
    }

    @Override
    public void onText(String text) {
        stats.countFrameIn();
        switch (rate.check()) {
            case REFUSE -> {
                stats.countRateLimited();
                out.error(ErrorCode.RATE_LIMITED, "more than " + limits.messagesPerSecond()
                        + " frames per second (burst " + limits.burst() + "); this frame was dropped", null);
                return;
            }
            case CLOSE -> {
                stats.countRateLimited();
                out.closeWith(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
                return;
            }
            case ACCEPT -> {
                // go on
            }
        }
        if (guard.awaitingToken()) {
            if (TokenHandshake.accept(id, text, guard, out)) {
                String pending = pendingUrlChannel;
                pendingUrlChannel = null;
                if (pending != null) {
                    channels.join(pending, null, seedSender());
                }
            }
            return;
        }
        SenderGuard.Check current = guard.current();
        if (!current.allowed()) {
            out.error(ErrorCode.NOT_PERMITTED, current.detail(), null);
            out.closeWith(CloseCodes.POLICY_VIOLATION, "token expired");
            return;
        }
        ParseResult result = FrameParser.parse(text, mode);
        if (result instanceof ParseResult.Bad bad) {
            stats.countBadFrame();
            out.error(bad.code(), bad.detail(), bad.id());
        } else if (result instanceof ParseResult.Parsed parsed) {
            handle(parsed.frame());
        }
    }

    /** No classic dialect uses binary messages. */
    @Override
    public void onBinary() {
        stats.countBadFrame();
        out.error(ErrorCode.INVALID_FRAME, "binary frames are not supported; send JSON text", null);
    }

    private void handle(ClientFrame frame) {
        if (frame instanceof ClientFrame.Open open) {
            if (open.envelopeStyle() && mode == Mode.UNDECIDED) {
                mode = Mode.ENVELOPE;
            }
            if (!speakAs(open.sender())) {
                return;
            }
            if (channels.join(open.channel(), null, seedSender()) && positions) {
                out.send(ServerFrames.joined(open.channel(), context.position(open.channel()).orElse(null)));
            }
        } else if (frame instanceof ClientFrame.Resume resume) {
            if (!speakAs(resume.sender())) {
                return;
            }
            claim(resume.sessions());
            java.util.concurrent.CompletionStage<ResumeResult> answer = channels.resume(resume.channel(), resume.since(),
                    HandedOverIdentity.endpointIds(resume.sessions()));
            if (answer != null) {
                // At once on one instance; on a cluster thread after the replay when the position was taken elsewhere.
                answer.thenAccept(r -> {
                    if (r instanceof ResumeResult.Recovered rec) {
                        out.send(ServerFrames.resumed(resume.channel(), true, rec.position()));
                    } else if (r instanceof ResumeResult.NotRecovered nr) {
                        log.debug("{}: not recovered on '{}': {}", id, resume.channel(), nr.reason());
                        out.send(ServerFrames.resumed(resume.channel(), false, nr.position()));
                    }
                });
            }
        } else if (frame instanceof ClientFrame.PositionsOptIn optIn) {
            positions = optIn.enabled();
            if (positions) {
                out.send(ServerFrames.session(identity.session(id, participant())));
            }
        } else if (frame instanceof ClientFrame.Leave leave) {
            channels.leave(leave.channel());
        } else if (frame instanceof ClientFrame.CheckPresence check) {
            SenderGuard.Check scope = guard.channel(check.channel());
            if (!scope.allowed()) {
                out.error(ErrorCode.NOT_PERMITTED, scope.detail(), null);
                return;
            }
            context.probePresence(check.channel())
                    .whenComplete((present, error) -> out.send(ServerFrames.presenceAnswer(error == null && Boolean.TRUE.equals(present))));
        } else if (frame instanceof ClientFrame.PresenceOptIn optIn) {
            presenceOptIn = optIn.enabled();
        } else if (frame instanceof ClientFrame.Publish publish) {
            publish(publish);
        } else if (frame instanceof ClientFrame.Ignored ignored) {
            stats.countIgnoredFrame();
            log.debug("{}: ignored a frame: {}", id, ignored.why());
        }
    }

    /**
     * Takes the sender a channels socket named in {@code open} or {@code resume}. Under {@code identity.mode:
     * verified} only the token's sender may be named, as in an envelope (docs/dialects.md §5.2); a socket keeps the
     * first name it gave. A refusal is answered with an error frame and the frame is not acted on.
     *
     * @param sender the named sender, or {@code null} when the frame named none
     * @return whether the frame may go on
     */
    private boolean speakAs(String sender) {
        if (sender == null) {
            return true;
        }
        SenderGuard.Check who = guard.sender(JsonValue.string(sender));
        if (!who.allowed()) {
            stats.countBadFrame();
            out.error(ErrorCode.NOT_PERMITTED, who.detail(), null);
            return false;
        }
        if (channelsSender != null && !channelsSender.equals(sender)) {
            stats.countBadFrame();
            out.error(ErrorCode.INVALID_FRAME, "this socket already speaks as '" + channelsSender
                    + "'; open another socket to speak as '" + sender + "'", null);
            return false;
        }
        channelsSender = sender;
        return true;
    }

    private void publish(ClientFrame.Publish p) {
        if (mode == Mode.UNDECIDED) {
            mode = p.dialect();
        }
        if (p.dialect() == Mode.CHANNELS && channelsSender != null) {
            p = new ClientFrame.Publish(p.dialect(), p.channel(), JsonValue.string(channelsSender), p.message(), p.clientId());
        }
        // The parser kept the client's id only if acceptable (EnvelopeIds.keepable): no second check per frame.
        String envelopeId = p.clientId() != null ? p.clientId() : context.envelopeIds().next();
        SenderGuard.Check who = guard.sender(p.sender());
        SenderGuard.Check scope = guard.channel(p.channel());
        if (!who.allowed() || !scope.allowed()) {
            out.error(ErrorCode.NOT_PERMITTED, who.allowed() ? scope.detail() : who.detail(), envelopeId);
            return;
        }
        if (p.dialect() == Mode.ENVELOPE && seed != null) {
            seed.sentAs(p.sender());
        }
        if (p.dialect() == Mode.ENVELOPE && !channels.join(p.channel(), envelopeId, seedSender())) {
            return; // an envelope socket joins by its first send; the refusal was answered
        }
        Envelope envelope = new Envelope(envelopeId, p.channel(), guard.stamp(p.sender()), p.message(), new Origin(adapter, id),
                context.clock().instant());
        // One correlation id from the browser frame to the XMPP stanza / SIP Call-ID: the envelope id, in MDC.
        try (EnvelopeMdc mdc = EnvelopeMdc.open(adapter, envelope)) {
            log.debug("{}: envelope {} from {} on '{}'", id, envelopeId, envelope.sender().json(), p.channel());
            log.trace("{}: envelope {} message {}", id, envelopeId, p.message().json());
            PublishResult result = context.publish(envelope, this);
            if (result instanceof PublishResult.Refused refused) {
                out.error(refused.code(), refused.detail(), envelopeId);
            } else {
                log.trace("{}: envelope {} on '{}' published: {}", id, envelopeId, p.channel(), result);
            }
        }
    }

    /**
     * The sender id a checkpoint of this socket is kept under (docs/design.md §3.8): under verified identity the token's
     * subject; else the sender it named in {@code open} or {@code resume}, or the one its envelopes carried. {@code null}
     * when it has none, gets no checkpoints, or carries positions itself ({@code sigbridge.js}).
     */
    private String seedSender() {
        if (seed == null || positions) {
            return null;
        }
        java.util.Optional<org.sigbridge.web.identity.Identity> token = guard.identity();
        if (token.isPresent()) {
            return token.get().sender();
        }
        return channelsSender != null ? channelsSender : seed.envelopeSender();
    }

    /**
     * Takes the participant a {@code resume}'s {@code sessions} prove (docs/cluster.md §4), when this socket has joined
     * no channel yet (a participant stays the same while subscribed), and answers a new {@code session} naming it, so
     * that a later move keeps it too. Reading thread.
     */
    private void claim(java.util.Set<String> sessions) {
        if (channels.isEmpty()) {
            identity.take(sessions, id).filter(p -> positions)
                    .ifPresent(p -> out.send(ServerFrames.session(identity.session(id, p)))); // names it for the next move too
        }
    }

    /** The participant of the session it resumed, proven on a cluster (docs/cluster.md §4); else its own id. */
    @Override
    public Participant participant() {
        return identity.participant(Endpoint.super.participant());
    }

    /**
     * On a cluster, a socket with positions on comes back on another instance as the same participant when this one
     * drains or stops ({@link HandedOverIdentity}), so its leave is held for the presence grace (docs/cluster.md §4).
     */
    @Override
    public boolean resumesElsewhere() {
        return positions && identity.onCluster();
    }

    /**
     * Whether this socket may resume from a position: once it opted in to positions, or when it gets seed checkpoints
     * (docs/design.md §3.8). A plain seed socket cannot, so a channel of such sockets keeps no history.
     */
    @Override
    public boolean resumes() {
        return positions || seed != null;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope, Position position) {
        if (!positions || position == null) {
            DeliveryResult r = deliver(envelope);
            if (seed != null && r == DeliveryResult.DELIVERED) {
                seed.delivered(envelope.channel(), position);
            }
            return r;
        }
        return closed ? refuseClosed(envelope) : write(envelope, new JsonValue(ServerFrames.positioned(envelope, mode, position)));
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        return closed ? refuseClosed(envelope) : write(envelope, ServerFrames.delivery(envelope, mode));
    }

    /** Queues {@code frame}; a refusal (a slow consumer closed with 1013) is reported to the sender by {@link #out}. */
    private DeliveryResult write(Envelope envelope, JsonValue frame) {
        if (!out.send(frame, new EnvelopeReceipt(envelope, context, id))) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "socket " + id + " is a slow consumer; closed with 1013");
        }
        return DeliveryResult.DELIVERED;
    }

    private DeliveryResult refuseClosed(Envelope envelope) {
        new EnvelopeReceipt(envelope, context, id).notWritten("the socket is closed");
        return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "socket " + id + " is closed");
    }

    @Override
    public void presenceChanged(PresenceEvent event) {
        if (presenceOptIn) {
            out.send(ServerFrames.presenceEvent(event));
        }
    }

    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        out.error(failure.code(), failure.detail(), failure.envelopeId());
    }

    /**
     * The socket is gone: leave every channel and, for a seed socket with a sender id, leave a checkpoint on each
     * (docs/design.md §3.8). Its queue is closed by now, so no later delivery moves a position. Idempotent.
     */
    @Override
    public void onClosed() {
        closed = true;
        java.util.Set<String> were = channels.close();
        context.detach(this);
        if (seed != null) {
            seed.closed(were, seedSender());
        }
    }
}
