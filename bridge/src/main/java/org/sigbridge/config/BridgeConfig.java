package org.sigbridge.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.AdapterSettings;
import org.sigbridge.spi.cluster.ClusterSettings;

/**
 * A loaded, validated configuration: the sections of the YAML file plus the compiled routing table.
 * Built by {@link ConfigLoader}, or by a host program in code through {@link #of}.
 *
 * @param source   where it came from (a path, or a name such as {@code <embedded>}), for messages
 * @param bridge   the {@code bridge:} section
 * @param adapters adapter settings by instance name, in file order
 * @param routes   the compiled routing table
 * @param logging  the {@code logging:} section
 * @param cluster  the {@code cluster:} section (docs/cluster.md), or {@code null} for a bridge on its own (the default)
 */
public record BridgeConfig(String source, BridgeSettings bridge, Map<String, AdapterSettings> adapters,
                           RoutingTable routes, LoggingSettings logging, ClusterSettings cluster) {

    /** A configuration without a {@code cluster:} section. */
    public BridgeConfig(String source, BridgeSettings bridge, Map<String, AdapterSettings> adapters, RoutingTable routes,
                        LoggingSettings logging) {
        this(source, bridge, adapters, routes, logging, null);
    }

    public BridgeConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(logging, "logging");
        adapters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(adapters));
    }

    /** A configuration built in code, e.g. by a host that embeds the bridge. Routes every channel locally. */
    public static BridgeConfig of(Map<String, AdapterSettings> adapters) {
        return new BridgeConfig("<code>", BridgeSettings.DEFAULTS, adapters, RoutingTable.allLocal(), LoggingSettings.DEFAULTS);
    }

    /** A copy with another routing table (built with {@link RoutesCompiler}). */
    public BridgeConfig withRoutes(RoutingTable newRoutes) {
        return new BridgeConfig(source, bridge, adapters, newRoutes, logging, cluster);
    }

    /** Adapter names in file order. */
    public List<String> adapterNames() {
        return List.copyOf(adapters.keySet());
    }
}
