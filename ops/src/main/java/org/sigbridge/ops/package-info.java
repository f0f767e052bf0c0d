/**
 * Operations endpoints over a bridge's {@link org.sigbridge.spi.ops.OpsView}: {@code /healthz}, {@code /readyz}
 * (every back-end leg READY, not draining), {@code /metrics} (Prometheus text from {@link
 * org.sigbridge.ops.PrometheusMetrics}, installed as every bridge's metrics by this module) and the admin API
 * ({@code /admin/*}: channels, explain, routes, reload, and drain where a front end provides one), loopback-only or
 * bearer-token protected. Mounted by a front end on its port ({@link org.sigbridge.ops.OpsHandler}) or served on a
 * port of its own ({@link org.sigbridge.ops.OpsServer}, {@code bridge.ops}). JSON bodies are written by Jackson.
 * Jetty 12 core handlers; never block a Jetty thread. See docs/operations.md.
 */
package org.sigbridge.ops;
