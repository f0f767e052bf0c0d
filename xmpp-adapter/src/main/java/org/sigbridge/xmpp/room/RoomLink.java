package org.sigbridge.xmpp.room;

import java.util.concurrent.atomic.AtomicBoolean;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.xmpp.config.BodyMode;

/**
 * The hub's endpoint for one open channel routed to a MUC room. Several channels can share a room
 * ({@code Room} and {@code room}); each has its own link. Methods are called on hub threads and only
 * hand off to the {@link MucRoomBinding}.
 */
public final class RoomLink implements ChannelLink {

    private final String id;
    private final String adapter;
    private final String channel;
    private final BodyMode body;
    private final MucRoomBinding room;
    private final AtomicBoolean closed = new AtomicBoolean();

    RoomLink(String id, String adapter, String channel, BodyMode body, MucRoomBinding room) {
        this.id = id;
        this.adapter = adapter;
        this.channel = channel;
        this.body = body;
        this.room = room;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return adapter;
    }

    public String channel() {
        return channel;
    }

    /** Size-checks and queues; {@code delivered} when the room is joined, {@code queued} while it is not. Never blocks. */
    @Override
    public DeliveryResult deliver(Envelope envelope) {
        if (closed.get()) {
            return new DeliveryResult.Rejected(org.sigbridge.spi.ErrorCode.NO_SUCH_CHANNEL, "channel '" + channel + "' was closed");
        }
        return room.deliver(envelope, body);
    }

    /**
     * A local participant joined or left (the hub tells the link only about local ones): announced in our
     * occupant's presence; on leaving, in {@code per-user} mode its senders' occupants may leave too.
     */
    @Override
    public void presenceChanged(PresenceEvent event) {
        if (closed.get() || event.participant().adapter().equals(adapter)) {
            return;
        }
        boolean joined = event.kind() == PresenceEvent.Kind.JOINED;
        room.localParticipant(channel, event.participant(), joined);
        if (!joined) {
            // Per-user occupants are kept per local endpoint (an envelope's origin), not per participant id.
            room.endpointLeft(event.endpointId() != null ? event.endpointId() : event.participant().id());
        }
    }

    /** Idempotent; the room stays joined for its grace period. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            room.detach(this);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
