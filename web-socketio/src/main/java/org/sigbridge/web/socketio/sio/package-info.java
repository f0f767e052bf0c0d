/**
 * The Socket.IO layer (protocols v4 and v5) over an Engine.IO session: namespace sockets
 * ({@link org.sigbridge.web.socketio.sio.SioConnection}) and the seam for application families
 * ({@link org.sigbridge.web.socketio.sio.SocketFamily}), and the private sessions of connection state recovery
 * ({@link org.sigbridge.web.socketio.sio.RecoverySessions}, docs/socketio.md#connection-state-recovery), and verified
 * identity's admission of every CONNECT ({@link org.sigbridge.web.socketio.sio.SocketIdentity},
 * docs/socketio.md#verified-identity).
 */
package org.sigbridge.web.socketio.sio;
