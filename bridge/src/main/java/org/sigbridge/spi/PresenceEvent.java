package org.sigbridge.spi;

import java.util.Objects;

/**
 * A participant joined or left a channel.
 *
 * @param channel     the channel
 * @param participant who
 * @param kind        joined or left
 * @param present     whether the channel still has any participant after this event
 */
public record PresenceEvent(String channel, Participant participant, Kind kind, boolean present) {

    public enum Kind { JOINED, LEFT }

    public PresenceEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(kind, "kind");
    }
}
