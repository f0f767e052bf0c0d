/**
 * One browser WebSocket: {@link org.sigbridge.web.session.WebSession} is its hub endpoint and frame logic,
 * {@link org.sigbridge.web.session.OutboundQueue} its bounded queue with one write in flight, and
 * {@link org.sigbridge.web.session.SocketListener} the thin Jetty listener that hands frames over with
 * explicit demand. Jetty types stay in the listener.
 */
package org.sigbridge.web.session;
