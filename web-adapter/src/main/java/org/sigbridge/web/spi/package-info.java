/**
 * The seam between the web host and its browser dialects. A {@link org.sigbridge.web.spi.WebDialect} is found with
 * {@link java.util.ServiceLoader}, enabled by the web adapter's {@code dialects} key, and mounted once per adapter:
 * it receives the host's shared machinery as a {@link org.sigbridge.web.spi.WebHost} and answers the WebSocket paths
 * and HTTP handlers it serves ({@link org.sigbridge.web.spi.DialectMounts}). A connection the dialect serves is a
 * {@link org.sigbridge.web.spi.WebConnection}; its per-connection logic is a
 * {@link org.sigbridge.web.spi.ConnectionHandler}. See {@code docs/architecture.md}.
 */
package org.sigbridge.web.spi;
