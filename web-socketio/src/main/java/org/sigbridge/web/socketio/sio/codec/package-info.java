/**
 * Socket.IO packet codecs, pure and without I/O: {@link org.sigbridge.web.socketio.sio.codec.SioCodec} for protocol
 * v5 (socket.io 3.x/4.x, docs/dialects.md §7.3). Protocol v4 (1.x/2.x) and 0.9 are to be siblings here.
 */
package org.sigbridge.web.socketio.sio.codec;
