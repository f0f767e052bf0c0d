/**
 * The RTCMultiConnection v3 family (docs/dialects.md §6.4, docs/socketio.md "RTCMultiConnection"): rooms are hub
 * channels; {@code RmcFamily} admits users, {@code RoomRequests} serves the room events ({@code check-presence},
 * {@code open-room}, {@code join-room}, passwords, public rooms, {@code close-entire-session}), {@code UserRequests}
 * the message event ({@code msgEvent}) with per-user messages by addressed delivery (docs/design.md §2.5), extra data,
 * renames, custom events and the {@code user-connected} / {@code user-disconnected} notices; {@code ScalableBroadcast}
 * the relay trees of scalable broadcast. {@code RmcIdentity} applies
 * verified identity (the userid is the token's), {@code RmcLine} and {@code RmcRecovery} socket.io 4.6+ connection state
 * recovery (a user kept in its room for the window, its stream replayed after the client's offset; docs/socketio.md),
 * with {@code RmcOffset} and {@code RmcState} across the instances of a cluster (its room resumed from the room
 * channel's log; docs/cluster.md §2).
 */
package org.sigbridge.web.socketio.rmc;
