/**
 * The web adapter: one Jetty 12 port serving every browser dialect (channels, envelope, XHR), the
 * {@code sigbridge.js} client and the demo page. {@link org.sigbridge.web.WebAdapter} owns the server's
 * lifecycle; the subpackages split the work by job: {@code dialect} (pure wire formats), {@code session}
 * (one WebSocket and its bounded outbound queue), {@code limit}, {@code http} and {@code xhr}.
 */
package org.sigbridge.web;
