package org.sigbridge.spi.cluster;

/**
 * The {@code cluster:} section of the config file, bound to the record of the one installed {@link ClusterFactory}
 * ({@link ClusterFactory#settingsType()}) and validated in its constructor, so a bad key or value is refused with
 * {@code file:line} like every other section. A marker: the bridge reads nothing from it.
 */
public interface ClusterSettings {
}
