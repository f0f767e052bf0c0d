package org.sigbridge.spi.cluster;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.AdapterStartException;

/**
 * The cluster layer of one bridge instance: it shares this instance's channels with the other instances of the
 * cluster and brings theirs in. Owned by the bridge: started before any adapter (so no channel opens before it),
 * closed after every adapter.
 *
 * <p>Which channels are shared is the hub's decision: those routed {@code local} and those routed to a back end
 * whose upstream does not reach every instance by itself ({@link org.sigbridge.spi.Backend#sharedAcrossInstances()}
 * is false: SIP). Channels routed to an XMPP room never reach the layer: the room already carries them to every
 * instance, and a second copy over the cluster would be delivered twice.
 */
public interface ClusterLayer extends AutoCloseable {

    /**
     * Connects to the engine and starts the layer's own threads. Blocks up to the layer's connect timeout.
     *
     * @param context the hub, for injecting what other instances accepted; valid until {@link #close()}
     * @throws AdapterStartException with one line naming the engine's address and the fix when it cannot start
     */
    void start(ClusterContext context) throws AdapterStartException;

    /**
     * A shared channel just opened on this instance (its first local participant arrived, or a client published to it).
     * Called by the hub on the opening thread, inside its per-channel update: must not block and must not call back
     * into the hub; the layer enqueues the subscription and roster read for its own thread.
     *
     * @return the channel's cluster endpoint, which the hub treats as a second link until it closes the channel
     */
    ClusterChannel open(RouteMatch route);

    /**
     * Whether anyone on another instance is on {@code channel}, for a presence query on a channel not open here.
     * Must not block; the stage completes within the engine's command timeout, {@code false} when it cannot tell.
     */
    CompletionStage<Boolean> probePresence(String channel);

    /**
     * An envelope another instance accepted failed here on its way upstream (a SIP member this instance sends to did
     * not take it, docs/cluster.md §2): tell its sender's instance, whose hub tells the sender by envelope id. The
     * instance is the node id that prefixes the envelope's origin endpoint. Must not block. Default: logged only by
     * the hub.
     */
    default void reportFailure(org.sigbridge.envelope.Envelope envelope, org.sigbridge.spi.ErrorCode code, String detail) {
    }

    /**
     * The layer's short-lived records, readable by every instance ({@link SharedRecords}); valid between {@link #start}
     * and {@link #close}. Default: none (a client's records then stay on its instance).
     */
    default java.util.Optional<SharedRecords> records() {
        return java.util.Optional.empty();
    }

    /**
     * The layer's shared session state for polling dialects (docs/cluster.md §2), or empty when it keeps none. Valid
     * between {@link #start} and {@link #close()}. Default: empty.
     */
    default java.util.Optional<SessionStore> sessions() {
        return java.util.Optional.empty();
    }

    /**
     * The instance stops (docs/cluster.md §6): what this instance accepted and still waits for the engine is shared
     * within {@code grace} or given up, each given-up envelope's sender told by envelope id through the hub, while the
     * front ends' connections are still open to carry it; envelopes accepted after it returns are refused at once. Called
     * by the bridge's stopping thread after every adapter's {@link org.sigbridge.spi.Adapter#drain} and before any
     * adapter closes; the layer keeps sharing membership changes (the leaves) until {@link #close()}. Blocks up to
     * {@code grace} plus the engine's command timeout and a second. Default: nothing waits.
     *
     * @return whether it told any sender of a failure (the bridge then drains its front ends once more, so that those
     *         errors are written before the connections close)
     */
    default boolean drain(java.time.Duration grace) {
        return false;
    }

    /**
     * This instance is about to close its clients' connections for good (a drain's deadline, a stop): from now on the
     * leaves of endpoints whose clients resume elsewhere ({@link org.sigbridge.spi.PresenceEvent#resumesElsewhere()})
     * are held back for the layer's presence grace (docs/cluster.md §4). Any thread, never blocks; idempotent. Default:
     * nothing held.
     */
    default void handOver() {
    }

    /**
     * Whether {@code nodeId} is the node id of an instance of this cluster that holds its lease now (docs/cluster.md §2,
     * "SIP announcements on a cluster"): so the SIP adapter tells another instance's conference-info document from
     * another bridge's. Any thread, never blocks; completes on a thread of the layer, {@code false} when the engine
     * cannot be asked. Default: {@code false}.
     */
    default CompletionStage<Boolean> isInstance(String nodeId) {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
    }

    /** What the layer is connected to, for start-up logs. */
    List<String> describe();

    /** Stops the threads and leaves the engine: this instance's participants leave the other instances. Idempotent. */
    @Override
    void close();
}
