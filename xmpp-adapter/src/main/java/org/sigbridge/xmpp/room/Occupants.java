package org.sigbridge.xmpp.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;
import org.sigbridge.xmpp.mapping.BridgeParticipants.Announced;

/**
 * The other occupants of one room (native users, other bridges), by nick, as channel participants, and the
 * participants other bridges announce in their occupants' presence ({@link org.sigbridge.xmpp.mapping.BridgeParticipants}).
 *
 * <p>An occupant is the participant {@code (occupant JID, nick)} on every channel linked to the room; an
 * announced participant is {@code (its id, its name)} on the channel it was announced for. Both can be
 * addressed: {@link #resolve} tells which occupant nick a recipient id is reached through.
 *
 * <p>Worker-confined, except {@link #resolve}, which hub threads call (it reads a concurrent map the worker
 * keeps up to date).
 */
final class Occupants {

    /**
     * Where an addressed envelope goes in the room.
     *
     * @param nick        the occupant nick to send the private message to
     * @param participant the participant id to name in {@code signal/@to}, or {@code null} when the occupant itself is the recipient
     */
    record Target(String nick, String participant) {
    }

    private final String adapter;
    private final Map<String, Participant> byNick = new LinkedHashMap<>();
    private final Map<String, List<Announced>> announcedByNick = new LinkedHashMap<>();
    /** Occupant JID, or channel + '\n' + announced id → where it is reached. */
    private final ConcurrentHashMap<String, Target> addressable = new ConcurrentHashMap<>();

    Occupants(String adapter) {
        this.adapter = adapter;
    }

    /** Records an available occupant; the participant if it is new. */
    Optional<Participant> joined(String nick, String occupantJid) {
        if (byNick.containsKey(nick)) {
            return Optional.empty();
        }
        Participant p = new Participant(adapter, occupantJid, nick);
        byNick.put(nick, p);
        addressable.put(occupantJid, new Target(nick, null));
        return Optional.of(p);
    }

    /** Removes an occupant that left; the participant if it was known. */
    Optional<Participant> left(String nick) {
        Participant p = byNick.remove(nick);
        if (p != null) {
            addressable.remove(p.id());
        }
        return Optional.ofNullable(p);
    }

    /** Everyone on {@code channel}: the occupants, then what other bridges announced for it. */
    List<Participant> all(String channel) {
        List<Participant> out = new ArrayList<>(byNick.values());
        announcedByNick.values().forEach(list -> list.stream().filter(a -> a.channel().equals(channel)).map(this::participant)
                .forEach(out::add));
        return out;
    }

    /** Forgets everyone (we left or lost the room). */
    private void clear() {
        byNick.clear();
        announcedByNick.clear();
        addressable.clear();
    }

    /**
     * An occupant's presence: tells every linked channel when one joins or leaves, and when the participants it
     * announces change (an unavailable presence withdraws them all).
     *
     * @param announced what the presence announces (empty for a native client)
     */
    void seen(String nick, String occupantJid, boolean available, List<Announced> announced, Collection<String> channels,
              AdapterContext context) {
        if (available) {
            joined(nick, occupantJid).ifPresent(p -> channels.forEach(c -> context.participantJoined(c, p)));
            announce(nick, announced, channels, context);
        } else {
            announce(nick, List.of(), channels, context);
            left(nick).ifPresent(p -> channels.forEach(c -> context.participantLeft(c, p)));
        }
    }

    private void announce(String nick, List<Announced> now, Collection<String> channels, AdapterContext context) {
        List<Announced> before = announcedByNick.getOrDefault(nick, List.of());
        Set<Announced> next = new LinkedHashSet<>(now);
        for (Announced a : before) {
            if (!next.contains(a)) {
                addressable.remove(key(a), new Target(nick, a.id()));
                if (channels.contains(a.channel())) {
                    context.participantLeft(a.channel(), participant(a));
                }
            }
        }
        Set<Announced> old = new LinkedHashSet<>(before);
        for (Announced a : next) {
            addressable.put(key(a), new Target(nick, a.id()));
            if (!old.contains(a) && channels.contains(a.channel())) {
                context.participantJoined(a.channel(), participant(a));
            }
        }
        if (next.isEmpty()) {
            announcedByNick.remove(nick);
        } else {
            announcedByNick.put(nick, List.copyOf(next));
        }
    }

    /** We are out of the room: everyone leaves every linked channel. */
    void forgetAll(Collection<String> channels, AdapterContext context) {
        for (String channel : channels) {
            for (Participant p : all(channel)) {
                context.participantLeft(channel, p);
            }
        }
        clear();
    }

    /**
     * Any thread: how to reach {@code recipient} on {@code channel}: an occupant by its JID, or a participant another
     * bridge announced for that channel.
     */
    Optional<Target> resolve(String channel, String recipient) {
        Target t = addressable.get(channel + '\n' + recipient);
        return Optional.ofNullable(t != null ? t : addressable.get(recipient));
    }

    private Participant participant(Announced a) {
        return new Participant(adapter, a.id(), a.name());
    }

    private static String key(Announced a) {
        return a.channel() + '\n' + a.id();
    }
}
