/**
 * The Socket.IO protocol v5 layer over an Engine.IO session: namespace sockets
 * ({@link org.sigbridge.web.socketio.sio.SioConnection}) and the seam for application families
 * ({@link org.sigbridge.web.socketio.sio.SocketFamily}).
 */
package org.sigbridge.web.socketio.sio;
