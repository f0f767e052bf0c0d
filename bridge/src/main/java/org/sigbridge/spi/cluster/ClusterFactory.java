package org.sigbridge.spi.cluster;

/**
 * Makes the cluster layer. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.sigbridge.spi.cluster.ClusterFactory}); at most one may be installed. Used only when the
 * config has a {@code cluster:} section: without one the bridge never calls it and never needs the cluster's engine.
 */
public interface ClusterFactory {

    /** The record the {@code cluster:} section binds to (kebab-case keys, validated in its constructor). */
    Class<? extends ClusterSettings> settingsType();

    /**
     * A layer for these settings. Does no I/O: connecting happens in {@link ClusterLayer#start}.
     *
     * @param settings   an instance of {@link #settingsType()}
     * @param bridgeName this instance's {@code bridge.name}, for logs
     */
    ClusterLayer create(ClusterSettings settings, String bridgeName);
}
