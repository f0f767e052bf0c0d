/**
 * Socket.IO packet codecs, pure and without I/O: {@link org.sigbridge.web.socketio.sio.codec.SioCodec} for protocols v4
 * (socket.io 1.x/2.x) and v5 (3.x/4.x), their differences in {@link org.sigbridge.web.socketio.sio.codec.SioProtocol}
 * (docs/dialects.md §7.2, §7.3). Socket.IO 0.9's packets are another package's.
 */
package org.sigbridge.web.socketio.sio.codec;
