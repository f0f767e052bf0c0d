/**
 * Operations endpoints of the web adapter: {@code /healthz}, {@code /readyz} (every back-end leg READY),
 * {@code /metrics} (Prometheus text from the bridge's registry, with {@code sigbridge_web_*} added here) and the
 * admin API ({@code /admin/*}: channels, explain, routes, reload, drain), loopback-only or bearer-token protected,
 * optionally on a port of its own. Jetty 12 core handlers; never block a Jetty thread.
 */
package org.sigbridge.web.ops;
