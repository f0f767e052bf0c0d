/**
 * MUC rooms as channel links: {@link org.sigbridge.xmpp.room.MucRoomBinding} owns one room's membership
 * (join without history and with the room password, rejoin after a reconnect, an XEP-0410 self-ping miss or,
 * after a backoff, a kick; a destroyed room is not rejoined, see {@link org.sigbridge.xmpp.room.RoomExit};
 * occupants as presence); its {@link org.sigbridge.xmpp.room.RoomOutbox} sends in order and holds every envelope until
 * the room reflects it (XEP-0045 §7.2.2, matched by the envelope id in the {@code signal} element), resending after
 * a loss; its {@link org.sigbridge.xmpp.room.RoomInbox} maps what arrives and drops reflections and repeats; its
 * {@link org.sigbridge.xmpp.room.RoomArchive} asks whether the room archives, for the no-store hint; its
 * {@link org.sigbridge.xmpp.room.RoomLinks} holds the linked channels and the grace before leaving; its
 * {@link org.sigbridge.xmpp.room.RoomBounces} decides what an error bounce of our message means. All state
 * lives on the adapter's worker thread; Smack and hub threads only enqueue, room messages only past the
 * {@link org.sigbridge.xmpp.room.InboundGate} (the inbound limit, decided on Smack's reader thread).
 */
package org.sigbridge.xmpp.room;
