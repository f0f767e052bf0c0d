package org.sigbridge.hub;

import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.SubscribeResult;

/**
 * The {@link Hub}'s membership bookkeeping: which endpoints it knows ({@link Registration}) and which channels each
 * subscribes to. A channel opens with its first local participant and closes with its last; every local join and leave
 * is announced to the channel (its subscribers, its link and its cluster channel).
 *
 * <p>Thread-safe: membership changes for one channel are serialised by {@link ConcurrentHashMap#compute} on the
 * channel map (so {@link ChannelOpener#open} runs inside it); the announcements and closings run after it, on the
 * caller's thread.
 */
final class Subscriptions {

    private final ConcurrentHashMap<String, Channel> channels;
    private final ConcurrentHashMap<String, Registration> endpoints;
    private final ChannelOpener opener;

    Subscriptions(ConcurrentHashMap<String, Channel> channels, ConcurrentHashMap<String, Registration> endpoints,
                  ChannelOpener opener) {
        this.channels = channels;
        this.endpoints = endpoints;
        this.opener = opener;
    }

    /** The endpoint's registration, made on its first subscribe or publish. */
    Registration register(Endpoint endpoint) {
        Registration reg = endpoints.get(endpoint.id());
        return reg != null ? reg : endpoints.computeIfAbsent(endpoint.id(), id -> new Registration(endpoint));
    }

    /** {@code AdapterContext.subscribe}: opens the channel when it is not open, and announces the join. */
    SubscribeResult subscribe(Endpoint endpoint, String channel) {
        Registration reg = register(endpoint);
        if (reg.subscribes(channel)) {
            return SubscribeResult.SUBSCRIBED;
        }
        ChannelOpener.Refusal refusal = new ChannelOpener.Refusal();
        Channel ch = channels.compute(channel, (name, existing) -> {
            Channel c = existing != null ? existing : opener.open(name, refusal);
            if (c != null) {
                c.add(endpoint);
            }
            return c;
        });
        if (ch == null) {
            return new SubscribeResult.Refused(refusal.code, refusal.detail);
        }
        reg.add(channel);
        Participant who = Channel.local(endpoint);
        // Already present on another instance (it resumed here from there): the local subscribers knew it already.
        ch.announce(new PresenceEvent(channel, who, PresenceEvent.Kind.JOINED, true, endpoint.id()), endpoint,
                !ch.hasRemote(who), true);
        return SubscribeResult.SUBSCRIBED;
    }

    /** {@code AdapterContext.unsubscribe}: nothing when the endpoint does not subscribe to the channel. */
    void unsubscribe(Endpoint endpoint, String channel) {
        Registration reg = endpoints.get(endpoint.id());
        if (reg == null || !reg.remove(channel)) {
            return;
        }
        leave(endpoint, channel);
    }

    /** {@code AdapterContext.detach}: the endpoint leaves every channel and is forgotten. */
    void detach(Endpoint endpoint) {
        Registration reg = endpoints.remove(endpoint.id());
        if (reg == null) {
            return;
        }
        for (String channel : reg.removeAll()) {
            leave(endpoint, channel);
        }
    }

    /** Closes the channel when no local participant is on it (a publish opened it for one envelope). */
    void closeIfIdle(String channel) {
        Channel[] closed = new Channel[1];
        channels.computeIfPresent(channel, (name, c) -> {
            if (c.subscribers().length == 0) {
                closed[0] = c;
                return null;
            }
            return c;
        });
        if (closed[0] != null) {
            opener.close(closed[0]);
        }
    }

    private void leave(Endpoint endpoint, String channel) {
        Channel[] closed = new Channel[1];
        boolean[] left = new boolean[1];
        Channel ch = channels.computeIfPresent(channel, (name, c) -> {
            left[0] = c.remove(endpoint);
            if (c.subscribers().length == 0) {
                closed[0] = c;
                return null;
            }
            return c;
        });
        if (closed[0] != null) {
            // The last local participant left: the link still hears it (per-user occupants close on it)
            // before it is closed itself.
            if (left[0]) {
                closed[0].announce(new PresenceEvent(channel, Channel.local(endpoint), PresenceEvent.Kind.LEFT, false,
                        endpoint.id(), endpoint.resumesElsewhere()), endpoint, true);
            }
            opener.close(closed[0]);
        } else if (ch != null && left[0]) {
            Participant who = Channel.local(endpoint);
            // Still present on another instance: the local subscribers see it stay (docs/cluster.md §4).
            ch.announce(new PresenceEvent(channel, who, PresenceEvent.Kind.LEFT, ch.isPresent(), endpoint.id(),
                    endpoint.resumesElsewhere()), endpoint, !ch.hasRemote(who), true);
        }
    }
}
