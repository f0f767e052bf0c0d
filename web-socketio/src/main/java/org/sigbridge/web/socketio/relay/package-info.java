/**
 * Socket.IO application families on hub channels: {@link org.sigbridge.web.socketio.relay.MessageRelay}, the
 * broadcast {@code message} relay (docs/dialects.md §6.1).
 */
package org.sigbridge.web.socketio.relay;
