package org.sigbridge.hub;

import java.util.List;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.Participant;

/**
 * A snapshot of one open channel, for admin views and tests.
 *
 * @param name        the channel
 * @param route       how it is routed
 * @param subscribers ids of local subscribers
 * @param remote      remote participants reported by its back end
 */
public record ChannelInfo(String name, RouteMatch route, List<String> subscribers, List<Participant> remote) {

    public ChannelInfo {
        subscribers = List.copyOf(subscribers);
        remote = List.copyOf(remote);
    }
}
