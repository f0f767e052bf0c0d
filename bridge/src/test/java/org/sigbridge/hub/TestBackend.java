package org.sigbridge.hub;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;

/**
 * A back end for hub tests in this module: its links record what they get and, like the XMPP and SIP
 * links, accept an addressed envelope only for a participant id they can reach upstream ({@link #reachable})
 * and refuse the rest {@code no_such_recipient}. Thread-safe.
 */
final class TestBackend implements Backend {

    final String adapter;
    final Set<String> reachable = ConcurrentHashMap.newKeySet();
    final List<Link> links = new CopyOnWriteArrayList<>();

    TestBackend(String adapter) {
        this.adapter = adapter;
    }

    @Override
    public ChannelLink open(RouteMatch match) {
        Link link = new Link(adapter + "/" + match.channel());
        links.add(link);
        return link;
    }

    /** The link of the channel opened last. */
    Link link() {
        return links.get(links.size() - 1);
    }

    final class Link implements ChannelLink {
        final String id;
        final List<Envelope> received = new CopyOnWriteArrayList<>();

        Link(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String adapter() {
            return adapter;
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            if (envelope.isAddressed() && !reachable.contains(envelope.recipient())) {
                return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "nobody upstream is " + envelope.recipient());
            }
            received.add(envelope);
            return DeliveryResult.DELIVERED;
        }

        @Override
        public void close() {
        }
    }
}
