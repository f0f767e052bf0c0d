/**
 * Engine.IO wire codecs, pure and without I/O: {@link org.sigbridge.web.socketio.eio.codec.EioCodec} for Engine.IO 4
 * (docs/dialects.md §7.3). Engine.IO 3 (§7.2) is to be added here as a codec of its own.
 */
package org.sigbridge.web.socketio.eio.codec;
