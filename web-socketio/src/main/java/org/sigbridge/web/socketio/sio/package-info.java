/**
 * The Socket.IO layer (protocols v4 and v5) over an Engine.IO session: namespace sockets
 * ({@link org.sigbridge.web.socketio.sio.SioConnection}) and the seam for application families
 * ({@link org.sigbridge.web.socketio.sio.SocketFamily}).
 */
package org.sigbridge.web.socketio.sio;
