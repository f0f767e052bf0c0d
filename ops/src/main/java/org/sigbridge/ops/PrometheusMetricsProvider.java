package org.sigbridge.ops;

import org.sigbridge.metrics.Metrics;
import org.sigbridge.metrics.MetricsProvider;

/** Installs {@link PrometheusMetrics} as every bridge's metrics when this module is on the class path. */
public final class PrometheusMetricsProvider implements MetricsProvider {

    @Override
    public Metrics create() {
        return new PrometheusMetrics();
    }
}
