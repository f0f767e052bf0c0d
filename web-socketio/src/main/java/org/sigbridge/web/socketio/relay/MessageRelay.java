package org.sigbridge.web.socketio.relay;

import java.util.List;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broadcast {@code message} relay (docs/dialects.md §6.1, docs/socketio.md) on hub channels. A socket joins
 * one hub channel when it connects: the {@code channel} query parameter if given, else its namespace's channel
 * {@code socket.io<namespace>} (e.g. {@code socket.io/}), so that sockets that joined nothing hear every other one of
 * their namespace, as the reference broadcast server does. A {@code message} event is published on that channel with
 * the emitted value as the envelope's message (its {@code sender} field, when a string, as the envelope's sender) and
 * reaches every other member as {@code message} with the same value. Other events are ignored, as the reference's.
 *
 * <p>Failures are reported in the family's terms: an {@code error} event {@code {"code","detail","id"}} (the
 * docs/design.md error codes), and, when the {@code message} emit asked for an ack, the ack {@code [error]} instead of
 * {@code [null]}.
 */
public final class MessageRelay implements SocketFamily {

    /** Prefix of the hub channel of a namespace. */
    public static final String NAMESPACE_CHANNEL_PREFIX = "socket.io";

    private final String adapter;
    private final AdapterContext hub;
    private final WebStats stats;
    /**
     * The last frame each publishing thread encoded: a channel's members are delivered one after another on the
     * publishing thread, so the {@code message} frame of one envelope is encoded once for all of them, not once per
     * member (docs/benchmarks.md, "socket.io 4"). One small entry per thread; a miss only encodes again.
     */
    private final ThreadLocal<Frame> lastFrame = new ThreadLocal<>();

    public MessageRelay(String adapter, AdapterContext hub, WebStats stats) {
        this.adapter = adapter;
        this.hub = hub;
        this.stats = stats;
    }

    @Override
    public String name() {
        return "message-relay";
    }

    @Override
    public Member connect(SioSocket socket) {
        RelayMember member = new RelayMember(socket, channelOf(socket), false);
        member.join();
        return member;
    }

    /**
     * Joins the channel, then answers the CONNECT: a client that sees itself connected hears everything published after
     * that. What is delivered between the join and the answer is written after the answer.
     */
    @Override
    public Member connect(SioSocket socket, Runnable answer) {
        RelayMember member = new RelayMember(socket, channelOf(socket), false);
        member.joinThenAnswer(answer);
        return member;
    }

    /**
     * Connection state recovery (docs/socketio.md): joins the channel by {@code AdapterContext.resume} from the
     * socket's last position, so what it missed is replayed once, in order, and every {@code message} carries its
     * position as its last argument. The CONNECT is answered before any of it is written.
     */
    @Override
    public Member connect(SioSocket socket, Recovery recovery) {
        RelayMember member = new RelayMember(socket, channelOf(socket), true);
        member.resume(recovery);
        return member;
    }

    /**
     * Verified identity: a socket whose channel (the {@code channel} query, or its namespace's) is outside its token's
     * {@code channels} is refused at its CONNECT.
     */
    @Override
    public java.util.Optional<String> refusal(SioSocket socket) {
        SenderGuard.Check scope = socket.guard().channel(channelOf(socket));
        return scope.allowed() ? java.util.Optional.empty() : java.util.Optional.of(scope.detail());
    }

    private static String channelOf(SioSocket socket) {
        String channel = socket.query().getValue("channel");
        return channel == null || channel.isEmpty() ? NAMESPACE_CHANNEL_PREFIX + socket.namespace() : channel;
    }

    /** One socket of the relay: a hub endpoint on one channel. Deliveries come from any publishing thread. */
    final class RelayMember implements Member, Endpoint {
        private static final Logger log = LoggerFactory.getLogger(RelayMember.class);

        private final SioSocket socket;
        private final String channel;
        /** Whether each message carries its position (connection state recovery). */
        private final boolean offsets;
        private volatile boolean joined;
        private volatile boolean gone;
        /** Its transport broke with recovery on ({@link #resumesElsewhere}). */
        private volatile boolean transportClosed;
        /** Messages that arrived before the CONNECT answer was written (guarded by this); {@code null} once it was. */
        private List<Held> held;

        RelayMember(SioSocket socket, String channel, boolean offsets) {
            this.socket = socket;
            this.channel = channel;
            this.offsets = offsets;
        }

        /**
         * Only with connection state recovery may its client come back from a position (docs/design.md §3.8); without
         * it the channel's history need not keep envelopes for it.
         */
        @Override
        public boolean resumes() {
            return offsets;
        }

        /**
         * Joins from the client's last position; replayed and live messages wait until the CONNECT is answered. On a
         * shared channel of a cluster the position may be another instance's ({@code AdapterContext.resumeAsync}): the
         * answer is then written when the cluster log was read, on the cluster's thread (docs/design.md §3.8).
         */
        void resume(Recovery recovery) {
            synchronized (this) {
                held = new java.util.ArrayList<>();
            }
            if (recovery.since() == null) {
                SubscribeResult r = hub.subscribe(this, channel);
                answer(recovery, r instanceof SubscribeResult.Refused refused ? new ResumeResult.Refused(refused.code(), refused.detail())
                        : new ResumeResult.NotRecovered("a new session", hub.position(channel).orElse(null)));
            } else {
                hub.resumeAsync(this, channel, recovery.since(), recovery.ownEndpointIds()).thenAccept(result -> answer(recovery, result));
            }
        }

        private void answer(Recovery recovery, ResumeResult result) {
            if (result instanceof ResumeResult.Recovered r) {
                joined = true;
                recovery.answer(true, r.position());
            } else if (result instanceof ResumeResult.NotRecovered r) {
                joined = true;
                log.debug("{}: not recovered on '{}': {}", id(), channel, r.reason());
                recovery.answer(false, r.position());
            } else if (result instanceof ResumeResult.Refused refused) {
                recovery.answer(false, null);
                error(refused.code(), refused.detail(), null);
            }
            synchronized (this) {
                for (Held h : held) {
                    socket.emit("message", h.args(), h.receipt()); // a frame not queued is reported by its receipt
                }
                held = null;
            }
        }

        /** {@link #join}, with the deliveries before the CONNECT answer held until it is written. */
        void joinThenAnswer(Runnable answer) {
            synchronized (this) {
                held = new java.util.ArrayList<>();
            }
            SubscribeResult result = socket.guard().channel(channel).allowed() ? hub.subscribe(this, channel) : null;
            answer.run();
            if (result instanceof SubscribeResult.Refused refused) {
                error(refused.code(), refused.detail(), null);
            } else if (result != null) {
                joined = true;
            }
            synchronized (this) {
                for (Held h : held) {
                    socket.emit("message", h.args(), h.receipt()); // a frame not queued is reported by its receipt
                }
                held = null;
            }
        }

        void join() {
            if (!socket.guard().channel(channel).allowed()) {
                // verified identity, a socket whose family is not decided yet (a 0.9 root, an Engine.IO 3 root without
                // channel): it does not hear a namespace outside its token; were it a relay socket, its messages are
                // refused as on no channel. Every other relay socket was refused at its CONNECT (refusal).
                return;
            }
            SubscribeResult result = hub.subscribe(this, channel);
            if (result instanceof SubscribeResult.Refused refused) {
                error(refused.code(), refused.detail(), null);
            } else {
                joined = true;
            }
        }

        @Override
        public void onEvent(SioPacket event) {
            if (!"message".equals(event.eventName())) {
                stats.countIgnoredFrame();
                return;
            }
            String envelopeId = hub.envelopeIds().next();
            List<JsonValue> args = event.eventArgs();
            JsonValue value = args.isEmpty() ? JsonValue.nullValue() : args.get(0);
            if (!joined) {
                reply(event, ErrorCode.NOT_PERMITTED, "this socket is on no channel: joining '" + channel + "' was refused", envelopeId);
                return;
            }
            JsonValue claimed = event.firstArgSender().value(); // read by the codec's one pass; the relay parses nothing
            SenderGuard.Check who = socket.guard().sender(claimed == null ? JsonValue.nullValue() : claimed);
            if (!who.allowed()) { // verified identity: a page cannot name another sender (docs/socketio.md)
                stats.countError(ErrorCode.NOT_PERMITTED);
                reply(event, ErrorCode.NOT_PERMITTED, who.detail(), envelopeId);
                return;
            }
            JsonValue sender = claimed != null && claimed.isString() ? claimed : JsonValue.string(id()); // a bare value: the socket's id
            Envelope envelope = new Envelope(envelopeId, channel, socket.guard().stamp(sender), value, new Origin(adapter, id()),
                    hub.clock().instant());
            PublishResult result = hub.publish(envelope, this);
            if (result instanceof PublishResult.Refused refused) {
                reply(event, refused.code(), refused.detail(), envelopeId);
            } else if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of(JsonValue.nullValue()));
            }
        }

        private void reply(SioPacket event, ErrorCode code, String detail, String envelopeId) {
            JsonValue error = errorValue(code, detail, envelopeId);
            if (event.wantsAck()) {
                socket.reportAck(event.ackId(), List.of(error));
            }
            socket.report("error", List.of(error));
        }

        /** An error for this socket's client; one naming an envelope is a report, through the queue's reserve. */
        private void error(ErrorCode code, String detail, String envelopeId) {
            List<JsonValue> args = List.of(errorValue(code, detail, envelopeId));
            if (envelopeId == null) {
                socket.emit("error", args);
            } else {
                socket.report("error", args);
            }
        }

        @Override
        public void onDisconnect() {
            gone = true;
            hub.detach(this);
        }

        /**
         * The transport broke: the socket leaves its channel now, as without recovery (it joins again from its position
         * when it comes back); with recovery on, its client may come back on another instance of a cluster as the same
         * participant ({@link #resumesElsewhere}).
         */
        @Override
        public void onTransportClosed() {
            transportClosed = offsets;
            onDisconnect();
        }

        /**
         * Whether its transport broke with recovery on, on a cluster: its client reconnects by itself and, recovered on
         * another instance, presents the same participant there ({@link #participant}); a draining or stopping instance
         * then holds its leave for {@code cluster.presence-grace} (docs/cluster.md §4).
         */
        @Override
        public boolean resumesElsewhere() {
            return transportClosed && hub.sharedRecords().isPresent();
        }

        @Override
        public String id() {
            return socket.endpointId();
        }

        @Override
        public String adapter() {
            return adapter;
        }

        /**
         * Verified identity: the token's sender is the participant (id and name). Else, with connection state recovery,
         * {@code sio-<socket id>}: a recovered socket keeps its socket id on any instance (its session, taken from Redis
         * by one instance only, proves it; a socket not recovered gets a new id), so it stays the same participant
         * there (docs/cluster.md §4). Else the endpoint id, new on every connection.
         */
        @Override
        public Participant participant() {
            return socket.verifiedSender().map(s -> new Participant(adapter, s, s)).orElseGet(() -> offsets
                    ? new Participant(adapter, "sio-" + socket.id(), "sio-" + socket.id()) : new Participant(adapter, id(), id()));
        }

        @Override
        public DeliveryResult deliver(Envelope envelope, Position position) {
            if (!offsets || position == null) {
                return deliver(envelope);
            }
            return emit(envelope, List.of(envelope.message(), JsonValue.string(position.wire())));
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            Frame f = lastFrame.get();
            if (f == null || f.envelope() != envelope || !f.namespace().equals(socket.namespace())) {
                f = new Frame(envelope, socket.namespace(), SioSocket.eventFrame(socket.namespace(), "message", List.of(envelope.message())));
                lastFrame.set(f);
            }
            return emit(envelope, null, f.bytes());
        }

        /** A delivery held until the CONNECT answer is written, with the receipt that reports it if it is dropped. */
        private record Held(List<JsonValue> args, EnvelopeReceipt receipt) {
        }

        private DeliveryResult emit(Envelope envelope, List<JsonValue> args) {
            return emit(envelope, args, null);
        }

        /**
         * @param args  the {@code message} event's arguments, or {@code null} for the envelope's message alone (made only
         *              when the delivery is held: a delivery written at once needs no list)
         * @param frame {@code args} as {@code message} already encoded for this socket's namespace, or {@code null}
         */
        private DeliveryResult emit(Envelope envelope, List<JsonValue> args, byte[] frame) {
            EnvelopeReceipt receipt = new EnvelopeReceipt(envelope, hub, id());
            if (gone) { // handed after it left (a fan-out's subscribers are read when it begins): told by id, docs/design.md §2.4
                receipt.notWritten("the socket.io socket has disconnected");
                return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "socket.io socket " + id() + " is gone");
            }
            synchronized (this) {
                if (held != null) {
                    held.add(new Held(args != null ? args : List.of(envelope.message()), receipt));
                    return DeliveryResult.DELIVERED;
                }
            }
            if (!(frame != null ? socket.emitFrame(frame, receipt) : socket.emit("message", args, receipt))) {
                return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "socket.io socket " + id() + " is closed or a slow consumer");
            }
            return DeliveryResult.DELIVERED;
        }

        @Override
        public void deliveryFailed(DeliveryFailure failure) {
            log.debug("{}: delivery of {} failed: {} {}", id(), failure.envelopeId(), failure.code(), failure.detail());
            error(failure.code(), failure.detail(), failure.envelopeId());
        }
    }

    /** One envelope's {@code message} frame for one namespace ({@link SioSocket#eventFrame}); the array is never written to. */
    private record Frame(Envelope envelope, String namespace, byte[] bytes) {
    }

    static JsonValue errorValue(ErrorCode code, String detail, String id) {
        return new JsonValue("{\"code\":" + JsonValue.string(code.wire()).json() + ",\"detail\":" + JsonValue.string(detail).json()
                + (id == null ? "" : ",\"id\":" + JsonValue.string(id).json()) + "}");
    }
}
