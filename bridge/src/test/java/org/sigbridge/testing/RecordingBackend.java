package org.sigbridge.testing;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;

/**
 * A back-end adapter that records the hub's calls: links opened and closed, envelopes sent upstream,
 * presence events; and lets a test play the upstream side ({@link #receive}, {@link #remoteJoined}). Like the
 * XMPP and SIP links, its links take an addressed envelope only for a participant id they can reach upstream
 * ({@link #reachable}) and refuse the rest {@code no_such_recipient}. A hub test may also hand it to a
 * {@link org.sigbridge.hub.Hub} directly as a {@link Backend}, without {@link #start}.
 */
public final class RecordingBackend implements Adapter, Backend {

    private final String name;
    private final RecordingSettings settings;
    private final Recorder<String> opened;
    private final Recorder<String> closed;
    private final Recorder<Envelope> upstream;
    private final Recorder<PresenceEvent> presence;
    private final Map<String, Boolean> remotePresence = new ConcurrentHashMap<>();
    private final Set<String> reachable = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closedAdapter = new AtomicBoolean();
    private volatile AdapterContext context;

    public RecordingBackend(String name, RecordingSettings settings) {
        this.name = name;
        this.settings = settings;
        this.opened = new Recorder<>(name + " links opened");
        this.closed = new Recorder<>(name + " links closed");
        this.upstream = new Recorder<>(name + " envelopes sent upstream");
        this.presence = new Recorder<>(name + " presence events seen by links");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(AdapterContext ctx) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("started twice");
        }
        this.context = ctx;
    }

    @Override
    public java.util.Optional<Backend> backend() {
        return java.util.Optional.of(this);
    }

    @Override
    public ChannelLink open(RouteMatch match) {
        opened.add(match.channel());
        return new Link(match);
    }

    @Override
    public CompletionStage<Boolean> probePresence(RouteMatch match) {
        return CompletableFuture.completedFuture(remotePresence.getOrDefault(match.channel(), false));
    }

    /** Makes {@link #probePresence} answer {@code present} for a channel not open here. */
    public void setRemotePresence(String channel, boolean present) {
        remotePresence.put(channel, present);
    }

    /** Makes the links accept envelopes addressed to {@code participantId}, a participant upstream. */
    public void reachable(String participantId) {
        reachable.add(participantId);
    }

    /** The id of the link this adapter opens (or opened) for {@code channel}, as in an inbound envelope's origin. */
    public String linkId(String channel) {
        return name + ":" + channel;
    }

    /** Plays an upstream message arriving on {@code channel} from {@code sender}. */
    public PublishResult receive(String channel, String sender, String messageJson) {
        Envelope e = new Envelope(context.envelopeIds().next(), channel, JsonValue.string(sender),
                Envelopes.json(messageJson), new Origin(name, linkId(channel)), Instant.now());
        return context.publishInbound(e);
    }

    /** Plays a remote participant joining an open channel. */
    public void remoteJoined(String channel, String who) {
        context.participantJoined(channel, new Participant(name, who, who));
    }

    /** Plays a remote participant leaving. */
    public void remoteLeft(String channel, String who) {
        context.participantLeft(channel, new Participant(name, who, who));
    }

    public AdapterContext context() {
        return context;
    }

    public Recorder<String> opened() {
        return opened;
    }

    public Recorder<String> closed() {
        return closed;
    }

    public Recorder<Envelope> upstream() {
        return upstream;
    }

    public Recorder<PresenceEvent> presence() {
        return presence;
    }

    public boolean isClosed() {
        return closedAdapter.get();
    }

    @Override
    public void close() {
        closedAdapter.set(true);
    }

    private final class Link implements ChannelLink {
        private final RouteMatch match;
        private final AtomicBoolean linkClosed = new AtomicBoolean();

        Link(RouteMatch match) {
            this.match = match;
        }

        @Override
        public String id() {
            return linkId(match.channel());
        }

        @Override
        public String adapter() {
            return name;
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            if (linkClosed.get()) {
                throw new IllegalStateException("hub delivered to a closed link: " + id());
            }
            if (settings.reject() != null) {
                return new DeliveryResult.Rejected(ErrorCode.valueOf(settings.reject().toUpperCase(Locale.ROOT)), "refused by " + name);
            }
            if (envelope.isAddressed() && !reachable.contains(envelope.recipient())) {
                return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "nobody upstream is " + envelope.recipient());
            }
            upstream.add(envelope);
            return settings.queue() ? DeliveryResult.QUEUED : DeliveryResult.DELIVERED;
        }

        @Override
        public void presenceChanged(PresenceEvent event) {
            presence.add(event);
        }

        @Override
        public void close() {
            if (linkClosed.compareAndSet(false, true)) {
                closed.add(match.channel());
            }
        }
    }
}
