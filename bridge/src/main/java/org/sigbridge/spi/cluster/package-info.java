/**
 * The cluster seam: how a cluster layer (the {@code cluster} module, on Redis) lets several bridge instances share
 * channels (docs/cluster.md, docs/design.md §8). The hub keeps routing; the layer only translates. It watches what is
 * accepted locally through one {@link org.sigbridge.spi.cluster.ClusterChannel} per shared open channel and injects
 * what other instances accepted through {@link org.sigbridge.spi.cluster.ClusterContext}. Polling dialects keep their
 * sessions in its {@link org.sigbridge.spi.cluster.SessionStore}, so any instance serves them. Without a {@code cluster:}
 * section in the config nothing here is used.
 */
package org.sigbridge.spi.cluster;
