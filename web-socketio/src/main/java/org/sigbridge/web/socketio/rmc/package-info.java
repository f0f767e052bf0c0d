/**
 * The RTCMultiConnection v3 family (docs/dialects.md §6.4), its core: {@code check-presence}, {@code open-room},
 * {@code join-room}, the message event ({@code msgEvent}) with the room fan-out of a participation request and
 * per-user messages by addressed delivery (docs/design.md §2.5), {@code user-connected} and
 * {@code user-disconnected}.
 */
package org.sigbridge.web.socketio.rmc;
