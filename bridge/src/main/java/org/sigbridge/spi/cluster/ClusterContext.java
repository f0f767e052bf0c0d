package org.sigbridge.spi.cluster;

import java.time.Clock;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PublishResult;

/**
 * What the cluster layer may ask of the hub. Implemented by the hub; every method is thread-safe and non-blocking, but
 * the layer calls them from its own threads only: engine client threads (Lettuce's event loops) only enqueue.
 */
public interface ClusterContext {

    /** This instance's node id: random per process, the prefix of its endpoint ids. */
    String nodeId();

    /** This instance's {@code bridge.name}. */
    String bridgeName();

    Clock clock();

    /**
     * Delivers an envelope another instance accepted to this instance's local subscribers of its channel, and to no
     * link and no cluster channel (the origin instance already sent it upstream) but for the upstream members only this
     * instance holds: the channel's link delivers it to those (SIP dynamic members learnt here,
     * {@link org.sigbridge.spi.ChannelLink#deliverToMembersHere}), skipping those {@code sentElsewhere} names; an
     * addressed envelope for such a member counts as delivered here. An addressed envelope goes only to the local
     * subscribers presenting the recipient. {@code log} is its mark (epoch and offset) in the channel's log when it was
     * read from there in log order, and {@code stamp} its mark on the instance that appended it ({@code null} when it
     * has none), so that the positions handed out with it say how far the log was delivered here (docs/design.md §3.8).
     *
     * @return {@link PublishResult.Refused} {@code no_such_channel} when the channel is not open here, or
     *         {@code no_such_recipient} when it is addressed to nobody here
     */
    PublishResult publishFromCluster(Envelope envelope, Position.Mark log, Position.Mark stamp,
                                     java.util.function.Predicate<String> sentElsewhere);

    /**
     * The log of an open channel stands at {@code log} for this instance: entries up to it are not delivered here (the
     * channel just opened, or its log began again), every later one will be, in order. Default: ignored.
     */
    default void logCursor(String channel, Position.Mark log) {
    }

    /**
     * An envelope of another instance that the cluster layer delivered here before ({@link #publishFromCluster}) and now
     * drops as a second copy, by its id (appended again into a new epoch: the tail replay, docs/cluster.md §6). Local
     * subscribers had it, but a client that resumed here since from a position taken elsewhere may not: it goes to the
     * resumed subscribers whose marks say they lack it, and to no one else (docs/design.md §3.8). Never blocks.
     * Default: ignored.
     *
     * @param log   the copy's log mark
     * @param stamp its mark on the instance that accepted it, or {@code null}
     */
    default void offerCopy(Envelope envelope, Position.Mark log, Position.Mark stamp) {
    }

    /** A participant on another instance joined an open channel: added to its roster and presence, announced locally. */
    void participantJoined(String channel, Participant participant);

    /** A participant on another instance left an open channel (or its instance's lease expired). */
    void participantLeft(String channel, Participant participant);

    /**
     * An envelope a local endpoint published did not reach the other instances (engine unreachable past the queue's
     * time limit, or its recipient was gone when it arrived): its sender is told by envelope id. Only the envelope's
     * id, channel and origin are read.
     */
    void reportFailure(Envelope envelope, ErrorCode code, String detail);

    /** Reports the cluster leg's state (connected, lost, reconnected): logged on change and kept with the leg states. */
    void legState(LegState state);

    /** The bridge's metrics facade, for the layer's own counters ({@code sigbridge_cluster_*}). */
    Metrics metrics();
}
