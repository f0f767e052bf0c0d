/**
 * The classic browser dialects, the web host's first plug-ins: channels (websocket-over-nodejs), envelope, and XHR
 * polling ({@link org.sigbridge.web.classic.xhr}). {@link org.sigbridge.web.classic.ChannelsDialect} and
 * {@link org.sigbridge.web.classic.EnvelopeDialect} mount their WebSocket paths; each socket's logic is a
 * {@code ClassicSession}, split by job into output, channel memberships and the verified-identity handshake. Seed
 * sockets with a sender id leave server-side checkpoints when they close and are resumed from them when they join again
 * ({@code Checkpoints}, {@code SeedResume}; docs/design.md §3.8).
 */
package org.sigbridge.web.classic;
