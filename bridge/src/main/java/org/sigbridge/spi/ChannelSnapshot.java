package org.sigbridge.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.sigbridge.routing.RouteMatch;

/**
 * One open channel as the hub sees it at one moment, for admin views ({@link AdapterContext#channelSnapshots}).
 * Immutable.
 *
 * @param name         the channel
 * @param route        the route the channel was opened with; it keeps it until it closes, even across a
 *                     routes reload
 * @param participants local subscribers (adapter = the front end, id = endpoint id) and remote participants
 *                     reported by the channel's back end
 * @param envelopesIn  envelopes published on the channel since it opened
 * @param envelopesOut hand-offs to its endpoints and link since it opened
 * @param openedAt     when it opened
 */
public record ChannelSnapshot(String name, RouteMatch route, List<Participant> participants, long envelopesIn,
                              long envelopesOut, Instant openedAt) {

    public ChannelSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(openedAt, "openedAt");
        participants = List.copyOf(participants);
    }
}
