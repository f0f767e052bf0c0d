/**
 * Socket.IO 0.9 (protocol revision 1) text codecs (docs/socketio-09.md): {@link
 * org.sigbridge.web.socketio.v09.codec.V09Codec} for packets and {@code \ufffd}-framed payloads, {@link
 * org.sigbridge.web.socketio.v09.codec.V09Events} for the translation to and from the {@code SioPacket}s families use.
 */
package org.sigbridge.web.socketio.v09.codec;
