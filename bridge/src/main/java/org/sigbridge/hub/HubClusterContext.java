package org.sigbridge.hub;

import java.time.Clock;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.ClusterContext;

/** The hub as its cluster layer sees it; every call goes to the hub's thread-safe, non-blocking operations. */
final class HubClusterContext implements ClusterContext {

    private final Hub hub;

    HubClusterContext(Hub hub) {
        this.hub = hub;
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

    @Override
    public PublishResult publishFromCluster(Envelope envelope) {
        return hub.publishFromCluster(envelope, null, null, id -> true);
    }

    @Override
    public PublishResult publishFromCluster(Envelope envelope, Position.Mark log, Position.Mark stamp,
                                            java.util.function.Predicate<String> sentElsewhere) {
        return hub.publishFromCluster(envelope, log, stamp, sentElsewhere);
    }

    @Override
    public void logCursor(String channel, Position.Mark log) {
        hub.logCursor(channel, log);
    }

    @Override
    public void participantJoined(String channel, Participant participant) {
        hub.remoteJoined(channel, participant, false);
    }

    @Override
    public void participantLeft(String channel, Participant participant) {
        hub.remoteLeft(channel, participant, false);
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
}
