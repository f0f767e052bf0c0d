package org.sigbridge.hub;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.RouteReload;

/**
 * The routing table in effect and how to reload it. A replacement applies to channels opened from then
 * on; open channels keep the route they were opened with. Thread-safe.
 */
final class Routes {

    private final Map<String, Backend> backends;
    private volatile RoutingTable table;
    private volatile Supplier<RouteReload> reloader =
            () -> new RouteReload.Refused("this hub has no config file to reload routes from");

    Routes(RoutingTable initial, Map<String, Backend> backends) {
        this.backends = backends;
        requireBackends(initial);
        this.table = initial;
    }

    RoutingTable table() {
        return table;
    }

    /** @throws IllegalArgumentException if a rule names an adapter that is not a back end; the old table stays */
    void replace(RoutingTable next) {
        requireBackends(Objects.requireNonNull(next, "next"));
        table = next;
    }

    void reloadWith(Supplier<RouteReload> reload) {
        this.reloader = Objects.requireNonNull(reload, "reload");
    }

    RouteReload reload() {
        return reloader.get();
    }

    private void requireBackends(RoutingTable candidate) {
        for (var rule : candidate.rules()) {
            if (rule.target() instanceof RouteTarget.Leg leg && !backends.containsKey(leg.adapter())) {
                throw new IllegalArgumentException("route " + rule.pattern() + " names adapter '" + leg.adapter() + "', which is not a back end");
            }
        }
    }
}
