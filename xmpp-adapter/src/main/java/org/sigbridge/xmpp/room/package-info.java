/**
 * MUC rooms as channel links: {@link org.sigbridge.xmpp.room.MucRoomBinding} owns one room (join without
 * history, occupants as presence, reflections dropped, XEP-0410 self-ping), its bounded
 * {@link org.sigbridge.xmpp.room.OutboundQueue}, the {@link org.sigbridge.xmpp.room.RoomLink}s the hub
 * delivers to, and in {@code per-user} mode a {@link org.sigbridge.xmpp.room.SenderOccupant} per browser
 * sender. All state lives on the adapter's worker thread; Smack and hub threads only enqueue.
 */
package org.sigbridge.xmpp.room;
