/**
 * The signalmaster family (SimpleWebRTC's server, docs/dialects.md §6.5, docs/socketio.md): rooms as hub channels,
 * {@code join}/{@code create} with the room description, {@code message} addressed by {@code to}, {@code leave},
 * {@code remove} notices, and the {@code stunservers}/{@code turnservers} greeting; and the rule that tells a
 * signalmaster page from a relay page on Engine.IO 3.
 */
package org.sigbridge.web.socketio.signalmaster;
