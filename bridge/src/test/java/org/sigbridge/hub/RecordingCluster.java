package org.sigbridge.hub;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.cluster.ClusterChannel;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.spi.cluster.ClusterLayer;

/**
 * A cluster layer for the hub's seam tests (docs/cluster.md §2 and §3) that records what the hub hands it: the channels
 * it opens, the envelopes shared with the other instances (each channel queues them), the presence events shared and
 * the failures forwarded to a sender's instance. Its channels reach the participant ids a test adds to
 * {@link #elsewhere}, and a presence probe says another instance has members once there is one. Thread-safe lists; the
 * test thread reads them.
 */
final class RecordingCluster implements ClusterLayer {
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<Envelope> shared = new CopyOnWriteArrayList<>();
    final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    /** Each failure forwarded, as {@code "<envelope id> <error code>"}. */
    final List<String> failures = new CopyOnWriteArrayList<>();
    final Set<String> elsewhere = ConcurrentHashMap.newKeySet();

    @Override
    public void start(ClusterContext context) {
    }

    @Override
    public ClusterChannel open(RouteMatch route) {
        opened.add(route.channel());
        return new ClusterChannel() {
            @Override
            public boolean reaches(String participantId) {
                return elsewhere.contains(participantId);
            }

            @Override
            public void close() {
            }

            @Override
            public String id() {
                return "node:cluster-" + route.channel();
            }

            @Override
            public String adapter() {
                return "cluster";
            }

            @Override
            public DeliveryResult deliver(Envelope envelope) {
                shared.add(envelope);
                return DeliveryResult.QUEUED;
            }

            @Override
            public void presenceChanged(PresenceEvent event) {
                presence.add(event);
            }
        };
    }

    @Override
    public void reportFailure(Envelope envelope, ErrorCode code, String detail) {
        failures.add(envelope.id() + " " + code.wire());
    }

    @Override
    public CompletionStage<Boolean> probePresence(String channel) {
        return CompletableFuture.completedFuture(!elsewhere.isEmpty());
    }

    @Override
    public List<String> describe() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
