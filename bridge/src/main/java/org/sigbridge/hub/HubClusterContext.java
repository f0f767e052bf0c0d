package org.sigbridge.hub;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.ClusterContext;

/**
 * The hub as its cluster layer sees it (docs/cluster.md): what other instances accepted comes in here
 * ({@link #publishFromCluster}), with the log positions the channels' histories learn ({@link #logCursor}), and the
 * participants of other instances and of back ends ({@link #remoteJoined}, {@link #remoteLeft}). Every call is
 * thread-safe and non-blocking but for waiting on a channel another thread is opening ({@link #openOrOpening}).
 */
final class HubClusterContext implements ClusterContext {

    private final Hub hub;
    private final ConcurrentHashMap<String, Channel> channels;
    private final FanOut fanOut;

    HubClusterContext(Hub hub, ConcurrentHashMap<String, Channel> channels, FanOut fanOut) {
        this.hub = hub;
        this.channels = channels;
        this.fanOut = fanOut;
    }

    @Override
    public String nodeId() {
        return hub.nodeId();
    }

    @Override
    public String bridgeName() {
        return hub.bridgeName();
    }

    @Override
    public Clock clock() {
        return hub.clock();
    }

    /**
     * Local subscribers, and the link's members held here only ({@code ChannelLink.deliverToMembersHere}, skipping
     * {@code sentElsewhere}); never back. {@code log} and {@code stamp} are the envelope's log mark and its mark on the
     * instance that appended it, or {@code null} (docs/design.md §3.8).
     */
    @Override
    public PublishResult publishFromCluster(Envelope envelope, Position.Mark log, Position.Mark stamp, Predicate<String> sentElsewhere) {
        Channel ch = channels.get(envelope.channel());
        if (ch == null || ch.peer == null) {
            return hub.refuse(ErrorCode.NO_SUCH_CHANNEL, "channel '" + envelope.channel() + "' is not open and shared on this bridge");
        }
        if (hub.fromUpstream(envelope) && !hub.upstreamCopies.first(envelope)) {
            return new PublishResult.Published(0, 0); // this instance had it from the upstream itself (docs/cluster.md §2)
        }
        return fanOut.deliver(ch, envelope, ch.peer, log, stamp, sentElsewhere);
    }

    /** The channel's history learns where the log stands for this instance. */
    @Override
    public void logCursor(String channel, Position.Mark mark) {
        Channel ch = openOrOpening(channel); // the cluster reads the position while the hub may still be opening it
        History history = ch == null ? null : ch.history;
        if (history != null) {
            synchronized (history) {
                history.logCursor(mark);
            }
        }
    }

    /** To the gates of the channel's resumed subscribers only, holding its history (docs/design.md §3.8). */
    @Override
    public void offerCopy(Envelope envelope, Position.Mark log, Position.Mark stamp) {
        Channel ch = channels.get(envelope.channel());
        if (ch == null || ch.gates() == null || ch.history == null || stamp == null) {
            return; // the usual case: no resumed subscriber, nothing to do
        }
        History history = ch.history;
        synchronized (history) {
            java.util.Map<org.sigbridge.spi.Endpoint, ResumeGate> gates = ch.gates();
            if (gates != null) {
                Position top = history.top();
                gates.values().forEach(g -> g.offerCopy(envelope, top, log, stamp));
            }
        }
    }

    @Override
    public void participantJoined(String channel, Participant participant) {
        remoteJoined(channel, participant, false);
    }

    @Override
    public void participantLeft(String channel, Participant participant) {
        remoteLeft(channel, participant, false);
    }

    @Override
    public void reportFailure(Envelope envelope, ErrorCode code, String detail) {
        hub.reportFailure(envelope, code, detail);
    }

    @Override
    public void legState(LegState state) {
        hub.legState(state);
    }

    @Override
    public Metrics metrics() {
        return hub.metrics();
    }

    /**
     * A participant that is not a local subscriber joined: another instance's (from the cluster layer), or a back end's
     * upstream member ({@code upstream}: then shared with the cluster too, docs/cluster.md §2).
     */
    void remoteJoined(String channel, Participant participant, boolean upstream) {
        // A back end may report a reopened channel's members from its own thread while the hub is still opening it, and
        // the cluster layer reads a channel's roster as soon as the opening asked it to share the channel: wait for it.
        Channel ch = openOrOpening(channel);
        if (ch != null && ch.addRemote(participant)) {
            PresenceEvent joined = new PresenceEvent(channel, participant, PresenceEvent.Kind.JOINED, true);
            if (ch.hasLocal(participant, null)) {
                // Present here too (it resumed here, docs/cluster.md §4): the other subscribers know it already; the
                // endpoints presenting it learn it is elsewhere too (an RTCMultiConnection user kept here lets go then).
                ch.announceToItself(joined);
            } else {
                ch.announce(joined, null, false);
            }
        }
        if (upstream && ch != null && ch.peer != null) {
            ch.peer.presenceChanged(new PresenceEvent(channel, participant, PresenceEvent.Kind.JOINED, true));
        }
    }

    void remoteLeft(String channel, Participant participant, boolean upstream) {
        Channel ch = openOrOpening(channel);
        if (ch != null && ch.removeRemote(participant) && !ch.hasLocal(participant, null)) {
            ch.announce(new PresenceEvent(channel, participant, PresenceEvent.Kind.LEFT, ch.isPresent()), null, false);
        }
        if (upstream && ch != null && ch.peer != null) {
            ch.peer.presenceChanged(new PresenceEvent(channel, participant, PresenceEvent.Kind.LEFT, ch.isPresent()));
            hub.closeIfUnheld(channel); // opened for an upstream member (Hub.openForUpstream): its last one left
        }
    }

    /**
     * The open channel {@code channel}, or null. When the channel is being opened on another thread right now, waits
     * for that opening to finish (a compute on the same key of the channel map): a link's adapter reports the
     * participants it already knows (the occupants of a MUC room it stayed in, SIP members that outlived the channel)
     * from its own thread as soon as the link exists, which may be before the hub has put the channel in its table;
     * such a report used to be dropped (seen in the all-dialect soak: a reopened routed channel without its room's
     * occupants). Called on the opening thread itself (an adapter reporting from inside {@code open}) it answers
     * what the table holds, as before.
     */
    private Channel openOrOpening(String channel) {
        Channel ch = channels.get(channel);
        if (ch != null) {
            return ch;
        }
        try {
            return channels.computeIfPresent(channel, (name, c) -> c); // blocks while another thread computes this key
        } catch (IllegalStateException recursiveUpdate) {
            return null; // inside this very opening (ConcurrentHashMap refuses the nested update)
        }
    }
}
