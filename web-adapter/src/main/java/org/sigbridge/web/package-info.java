/**
 * The web adapter: the host that serves every enabled browser dialect on one Jetty 12 port, plus the
 * {@code sigbridge.js} client and the demo page. {@link org.sigbridge.web.WebAdapter} owns the server's lifecycle and
 * mounts the dialects ({@code spi}: the seam they plug into, found with {@link java.util.ServiceLoader}); the
 * subpackages split the host's work by job: {@code session} (the WebSocket transport, bounded outbound queues, the
 * registry), {@code http}, {@code limit}, {@code identity}, {@code loop}, {@code tls} and {@code ops}.
 */
package org.sigbridge.web;
