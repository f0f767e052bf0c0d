package org.sigbridge.spi.ops;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.ChannelSnapshot;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.RouteReload;

/**
 * What operations may read and do on a running bridge: leg states for readiness, channel snapshots and the routing
 * table for the admin API, a route reload, and the bridge's {@link Metrics}. Handed to the ops module (health,
 * readiness, metrics and admin endpoints, docs/operations.md) and to hosts; adapters get an
 * {@link org.sigbridge.spi.AdapterContext} instead. Thread-safe; every method but {@link #reloadRoutes} is
 * non-blocking.
 */
public interface OpsView {

    /** This bridge's instance name from config. */
    String bridgeName();

    /**
     * Every back end of this bridge with its last reported state, ordered by adapter name; a back end that has not
     * reported yet is {@link LegState.Status#STARTING} with detail {@code "no state reported yet"}. Readiness is
     * "every entry READY".
     */
    List<LegState> legs();

    /** The last state each back end reported, by adapter name (back ends that have not reported are absent). */
    Map<String, LegState> legStates();

    /** Calls {@code listener} on every leg state change, on the reporting thread; it must not block. */
    void onLegState(Consumer<LegState> listener);

    /** A snapshot of every open channel with its route, participants and counters, ordered by name. */
    List<ChannelSnapshot> channelSnapshots();

    /** The number of open channels. */
    int channelCount();

    /**
     * The routing table in effect now, with its per-rule hit counters. Use {@link RoutingTable#peek} to explain a
     * channel without counting a hit.
     */
    RoutingTable routing();

    /**
     * The upstream address of a routed channel as its back end spells it ({@link org.sigbridge.spi.Backend#upstreamAddress});
     * empty for local and denied routes. Any thread, never blocks.
     */
    default String upstreamAddress(org.sigbridge.routing.RouteMatch match) {
        return match.target() instanceof org.sigbridge.routing.RouteTarget.Leg ? match.expandTarget(v -> v) : "";
    }

    /**
     * Reads the routes from the bridge's config file again and, if the file is valid, puts them in effect for
     * channels opened from now on; open channels keep their current links and no connection is dropped. May block
     * while the file is read (milliseconds); call it off I/O-critical threads.
     */
    RouteReload reloadRoutes();

    /** The bridge's metrics (the hub's series and every adapter's). */
    Metrics metrics();
}
