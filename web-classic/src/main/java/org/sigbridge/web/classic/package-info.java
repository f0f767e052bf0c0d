/**
 * The classic browser dialects, the web host's first plug-ins: channels (websocket-over-nodejs), envelope, and XHR
 * polling ({@link org.sigbridge.web.classic.xhr}). {@link org.sigbridge.web.classic.ChannelsDialect} and
 * {@link org.sigbridge.web.classic.EnvelopeDialect} mount their WebSocket paths; each socket's logic is a
 * {@code ClassicSession}, split by job into output, channel memberships and the verified-identity handshake.
 */
package org.sigbridge.web.classic;
