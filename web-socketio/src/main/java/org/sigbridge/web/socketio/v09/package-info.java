/**
 * Socket.IO 0.9 (protocol revision 1) on {@code /socket.io/1/} (docs/socketio-09.md): {@link
 * org.sigbridge.web.socketio.v09.V09Mount} builds the engine ({@code V09Engine}, {@code V09Session}: handshake,
 * xhr-polling, jsonp-polling, websocket, heartbeats) and the namespace layer ({@code V09Connection}), which hands events
 * to the application families through {@link org.sigbridge.web.socketio.sio.SioSocket} ({@link
 * org.sigbridge.web.socketio.v09.V09Families} picks one per connection).
 */
package org.sigbridge.web.socketio.v09;
