package org.sigbridge.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.cluster.LogRead;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sigbridge.spi.cluster.ClusterChannel;

/**
 * One open channel's cluster endpoint. The hub calls {@link #deliver} and {@link #presenceChanged} on its publishing
 * threads: both encode and enqueue into the {@link Appender} and return; {@link #readAfter} goes to the {@link LogReader}. The remote roster ({@link #reaches}) is written
 * only by the {@link Receiver}'s thread and read lock-free here.
 */
final class SharedChannel implements ClusterChannel {

    private final String id;
    private final ChannelKeys keys;
    private final String instance;
    private final Appender appender;
    private final Receiver receiver;
    private final LogReader reader;
    private final Handover handover;
    /** Local participants by endpoint id, for re-announcing them after Redis comes back. */
    final Map<String, Participant> local = new ConcurrentHashMap<>();
    /** The lagging-replica guard: the highest log position seen here (docs/cluster.md §6). */
    final Fence fence = new Fence();
    /** This instance's recent appends on the channel, replayed into a new epoch (docs/cluster.md §6); append thread only. */
    final ReplayTail tail;
    /** Participant id → the instance it is on, for addressed envelopes; written by the receiver thread. */
    final Map<String, String> remoteInstances = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Set once by the receiver when this instance's position in the channel's log is read; joins wait for it. */
    private volatile boolean positioned;

    SharedChannel(String id, ChannelKeys keys, String instance, Appender appender, Receiver receiver, LogReader reader,
                  Handover handover) {
        this.handover = handover;
        this.reader = reader;
        this.id = id;
        this.keys = keys;
        this.instance = instance;
        this.appender = appender;
        this.receiver = receiver;
        this.tail = appender.replayer.newTail(keys, fence);
    }

    ChannelKeys keys() {
        return keys;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return "cluster";
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        return deliver(envelope, (Position) null);
    }

    /** With the envelope's position in this instance's history: its stamp goes into the log with it (docs/design.md §3.8). */
    @Override
    public DeliveryResult deliver(Envelope envelope, Position position) {
        if (closed) {
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "the channel closed on this bridge");
        }
        String target = envelope.isAddressed() ? remoteInstances.get(envelope.recipient()) : null;
        String body = EnvelopeCodec.writeEnvelope(envelope, target, position == null ? null : position.history());
        if (!appender.offer(new Outbound.Append(keys, envelope, body, fence, tail, target, System.nanoTime()))) {
            if (appender.refusing()) {
                return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "not shared with the other bridge instances: this "
                        + "instance is stopping (docs/cluster.md §6)");
            }
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "not shared with the other bridge instances: "
                    + appender.waiting() + " envelopes already wait for Redis (" + receiver.address() + ")");
        }
        return DeliveryResult.QUEUED;
    }

    /**
     * Shares a local join or leave, and an upstream member the channel's back end learnt here ({@code endpointId} null:
     * a SIP UA that wrote to this instance, which this instance sends to; {@link UpstreamMembers}).
     */
    @Override
    public void presenceChanged(PresenceEvent event) {
        if (closed) {
            return;
        }
        String endpoint = event.endpointId() != null ? event.endpointId() : UpstreamMembers.endpointId(event.participant());
        boolean joined = event.kind() == PresenceEvent.Kind.JOINED;
        if (joined) {
            local.put(endpoint, event.participant());
            if (!positioned) {
                return; // announced by positioned(): until then an envelope sent to it could be taken as before its time
            }
        } else {
            local.remove(endpoint);
            if (handover.hold(keys, endpoint, event)) {
                return; // its client resumes on another instance: the field stays for the presence grace (Handover)
            }
        }
        announce(joined ? 'J' : 'L', endpoint, event.participant());
    }

    /**
     * The receiver's thread, once, after this instance's position in the channel's log was first read: the joins held
     * back until then are announced. Until then another instance that saw the member could send it an envelope the
     * log numbers at or below that position, which this instance takes as sent before the channel opened here and
     * never delivers; so a member is announced only once what is sent to it after is delivered here (a leave is
     * announced at once: a leave of a member never announced is harmless).
     */
    void positioned() {
        positioned = true;
        local.forEach((endpoint, p) -> announce('J', endpoint, p));
    }

    /** Queues a membership frame for a local participant. Any thread. */
    void announce(char kind, String endpointId, Participant participant) {
        String body = EnvelopeCodec.writeMember(endpointId, participant);
        appender.offer(new Outbound.Member(keys, kind, instance + " " + endpointId, body, System.nanoTime()));
    }

    @Override
    public CompletionStage<LogRead> readAfter(Position.Mark after) {
        if (closed) {
            return CompletableFuture.completedFuture(new LogRead.Unavailable("the channel closed on this bridge"));
        }
        return reader.read(this, after);
    }

    @Override
    public boolean reaches(String participantId) {
        return remoteInstances.containsKey(participantId);
    }

    /**
     * Leaves the cluster. Upstream members held here leave the other instances' rosters too: this instance no longer
     * hears the channel, so it could not send them what others publish (they are announced again if it reopens).
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            local.forEach((endpoint, p) -> {
                if (UpstreamMembers.isUpstream(endpoint)) {
                    announce('L', endpoint, p);
                }
            });
            receiver.closed(this);
        }
    }

    boolean isClosed() {
        return closed;
    }
}
