/**
 * The {@code socketio} web dialect (docs/socketio.md): {@link org.sigbridge.web.socketio.SocketIoDialect} mounts the
 * Engine.IO engine ({@code engine}), the Socket.IO layer ({@code sio}) and its families ({@code relay}, {@code rmc},
 * {@code signalmaster}).
 */
package org.sigbridge.web.socketio;
