/**
 * Metrics: one Prometheus registry per bridge (so several bridges in one JVM do not mix), holding the
 * hub's counters, JVM basics, and whatever adapters register. Exposed in the Prometheus text format by
 * the web adapter's {@code /metrics}.
 */
package org.sigbridge.metrics;
