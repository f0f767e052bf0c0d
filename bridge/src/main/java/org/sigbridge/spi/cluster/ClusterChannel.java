package org.sigbridge.spi.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;

/**
 * One open channel's way to the other instances of the cluster. The hub hands it, like a link and on the publishing
 * thread, what this instance accepted on the channel, and never what came from it (no echo, no loops):
 * <ul>
 *   <li>{@link #deliver}: every broadcast envelope published here by a local endpoint or by the channel's own link,
 *       and every addressed one whose recipient is not local but {@link #reaches reachable} through the cluster.
 *       {@link DeliveryResult.Queued} means the layer took it into its bounded, time-limited queue; a later failure
 *       comes back through {@link ClusterContext#reportFailure}. {@link DeliveryResult.Rejected} (queue full, engine
 *       unreachable too long) is reported to the sender by the hub, by envelope id.</li>
 *   <li>{@link #deliver(Envelope, Position)}: the same, with the envelope's mark in this instance's history (its
 *       stamp, docs/design.md §3.8), which the layer keeps with the envelope in the log; {@code position} is
 *       {@code null} when the bridge keeps no history. Default: {@link #deliver(Envelope)}.</li>
 *   <li>{@link #presenceChanged}: local joins and leaves ({@link PresenceEvent#endpointId()} set), and the upstream
 *       members the channel's back end reported on this instance ({@code endpointId} null: SIP dynamic members, which
 *       this instance sends to, docs/cluster.md §2); never the participants the cluster layer reported itself.</li>
 * </ul>
 * Every call must not block: translate, enqueue, return. After {@link #close()} the hub calls nothing more.
 */
public interface ClusterChannel extends Endpoint {

    /**
     * Whether {@code participantId} is, as far as this instance knows, a participant of the channel on another
     * instance, so that an addressed envelope for it goes to the cluster. Lock-free read; never blocks.
     */
    boolean reaches(String participantId);

    /**
     * For a client resuming on this instance from a position taken on another (docs/design.md §3.8): once every
     * envelope this instance handed the channel before the call is in the log or given up, reads the log after
     * {@code after} up to its newest entry. Called by the hub holding the channel's history; must not block. The stage
     * completes on a thread of the layer, within the layer's time limits; it never completes exceptionally.
     * Default: {@link LogRead.Unavailable}.
     */
    default CompletionStage<LogRead> readAfter(Position.Mark after) {
        return CompletableFuture.completedFuture(new LogRead.Unavailable("this cluster layer keeps no log"));
    }

    /** The channel has no local participant left: leave it in the cluster. Non-blocking, idempotent. */
    void close();
}
