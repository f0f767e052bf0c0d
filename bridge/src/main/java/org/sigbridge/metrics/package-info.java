/**
 * The metrics facade ({@link org.sigbridge.metrics.Metrics}): counters, a timer and scrape-time samplers by name and
 * labels, with no exposition format in the core. {@link org.sigbridge.metrics.BridgeMetrics} holds the hub's own
 * series over it. An exporter (the ops module's Prometheus registry) is installed through
 * {@link org.sigbridge.metrics.MetricsProvider}; without one every call is a no-op. See {@code docs/operations.md}
 * for the series.
 */
package org.sigbridge.metrics;
