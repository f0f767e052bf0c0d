package org.sigbridge.spi;

import java.util.Objects;

/**
 * A participant joined or left a channel.
 *
 * @param channel     the channel
 * @param participant who
 * @param kind        joined or left
 * @param present     whether the channel still has any participant after this event
 * @param endpointId  the local endpoint behind the participant ({@link Endpoint#id()}), or {@code null} for a remote
 *                    participant (an occupant, a SIP member): a participant id is what a dialect shows, while a link
 *                    that keeps state per local endpoint (a per-user MUC occupant) needs the endpoint it was for
 */
public record PresenceEvent(String channel, Participant participant, Kind kind, boolean present, String endpointId) {

    public enum Kind { JOINED, LEFT }

    /** A remote participant's event: no local endpoint behind it. */
    public PresenceEvent(String channel, Participant participant, Kind kind, boolean present) {
        this(channel, participant, kind, present, null);
    }

    public PresenceEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(kind, "kind");
    }
}
