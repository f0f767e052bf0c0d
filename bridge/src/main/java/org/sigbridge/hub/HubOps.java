package org.sigbridge.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.ChannelSnapshot;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.RouteReload;
import org.sigbridge.spi.ops.OpsView;

/**
 * A hub's operations view and host API: what the ops endpoints read ({@link OpsView}) and what the bridge that owns
 * the hub does to it (replace the routing table, wire the reload). Thread-safe; reads are snapshots of the hub's
 * concurrent state and never block the publish path.
 */
public final class HubOps implements OpsView {

    private final Hub hub;

    HubOps(Hub hub) {
        this.hub = hub;
    }

    @Override
    public String bridgeName() {
        return hub.bridgeName();
    }

    @Override
    public List<LegState> legs() {
        return new TreeSet<>(hub.backends.keySet()).stream().map(hub.legs::current).toList();
    }

    @Override
    public Map<String, LegState> legStates() {
        return hub.legs.snapshot();
    }

    @Override
    public void onLegState(Consumer<LegState> listener) {
        hub.legs.onChange(listener);
    }

    @Override
    public List<ChannelSnapshot> channelSnapshots() {
        List<ChannelSnapshot> out = new ArrayList<>();
        hub.channels.values().forEach(ch -> out.add(ch.snapshot()));
        out.sort(Comparator.comparing(ChannelSnapshot::name));
        return out;
    }

    @Override
    public int channelCount() {
        return hub.channels.size();
    }

    @Override
    public RoutingTable routing() {
        return hub.routes.table();
    }

    @Override
    public String upstreamAddress(org.sigbridge.routing.RouteMatch match) {
        return hub.upstreamAddress(match);
    }

    @Override
    public RouteReload reloadRoutes() {
        return hub.routes.reload();
    }

    @Override
    public Metrics metrics() {
        return hub.metrics();
    }

    /**
     * Puts a new routing table in effect for channels opened from now on. Open channels keep the route and link they
     * were opened with until they close; no endpoint is touched. Any thread.
     *
     * @throws IllegalArgumentException if a rule names an adapter that is not one of this hub's back ends (the old
     *                                  table then stays)
     */
    public void replaceRoutes(RoutingTable next) {
        hub.routes.replace(next);
    }

    /** Sets what {@link #reloadRoutes} does; the bridge that owns this hub reads its config file. */
    public void reloadWith(Supplier<RouteReload> reload) {
        hub.routes.reloadWith(reload);
    }

    /** The hub's counters. */
    public HubStats stats() {
        return hub.stats;
    }

    /** Every endpoint registered now. */
    public Collection<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        hub.endpoints.values().forEach(r -> out.add(r.endpoint));
        return out;
    }
}
