package org.sigbridge.cluster;

import org.sigbridge.spi.cluster.ClusterFactory;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.sigbridge.spi.cluster.ClusterSettings;

/** The Redis cluster layer, found with {@link java.util.ServiceLoader}; binds {@link RedisClusterSettings}. */
public final class RedisClusterFactory implements ClusterFactory {

    @Override
    public Class<? extends ClusterSettings> settingsType() {
        return RedisClusterSettings.class;
    }

    @Override
    public ClusterLayer create(ClusterSettings settings, String bridgeName) {
        return new RedisCluster((RedisClusterSettings) settings, bridgeName);
    }
}
