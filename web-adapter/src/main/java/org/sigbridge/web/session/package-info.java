/**
 * The host's per-connection plumbing, shared by every dialect: {@link org.sigbridge.web.session.WebSocketConnection}
 * is the WebSocket transport (Jetty's core API with explicit demand), {@link org.sigbridge.web.session.OutboundQueue}
 * the bounded queue with one write in flight, {@link org.sigbridge.web.session.TextAssembler} the bounded UTF-8
 * message assembly, and {@link org.sigbridge.web.session.SessionRegistry} the open connections by dialect name.
 * Jetty types stay in the transport.
 */
package org.sigbridge.web.session;
