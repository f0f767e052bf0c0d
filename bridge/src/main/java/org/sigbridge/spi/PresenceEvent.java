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
 * @param resumesElsewhere on a local participant's {@code LEFT}: whether its endpoint's client comes back on another
 *                    instance of a cluster as the same participant ({@link Endpoint#resumesElsewhere()}), so that a
 *                    draining or stopping instance holds its leave for the cluster's presence grace (docs/cluster.md §4)
 */
public record PresenceEvent(String channel, Participant participant, Kind kind, boolean present, String endpointId,
                            boolean resumesElsewhere) {

    public enum Kind { JOINED, LEFT }

    /** A remote participant's event: no local endpoint behind it. */
    public PresenceEvent(String channel, Participant participant, Kind kind, boolean present) {
        this(channel, participant, kind, present, null);
    }

    /** A local participant's event, of an endpoint whose client does not resume elsewhere. */
    public PresenceEvent(String channel, Participant participant, Kind kind, boolean present, String endpointId) {
        this(channel, participant, kind, present, endpointId, false);
    }

    public PresenceEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(kind, "kind");
    }
}
