/**
 * Engine.IO wire codecs, pure and without I/O: {@link org.sigbridge.web.socketio.eio.codec.EioCodec} for single packets
 * (the same in Engine.IO 3 and 4) and the polling framings of each revision,
 * {@link org.sigbridge.web.socketio.eio.codec.PayloadFraming} (docs/dialects.md §7.2, §7.3).
 */
package org.sigbridge.web.socketio.eio.codec;
