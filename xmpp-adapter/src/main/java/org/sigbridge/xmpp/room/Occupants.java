package org.sigbridge.xmpp.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;

/**
 * The other occupants of one room (native users, other bridges), by nick, as channel participants.
 * Worker-confined.
 */
final class Occupants {

    private final String adapter;
    private final Map<String, Participant> byNick = new LinkedHashMap<>();

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
        return Optional.of(p);
    }

    /** Removes an occupant that left; the participant if it was known. */
    Optional<Participant> left(String nick) {
        return Optional.ofNullable(byNick.remove(nick));
    }

    /** Everyone, e.g. to announce them on a channel that just linked to the room. */
    List<Participant> all() {
        return new ArrayList<>(byNick.values());
    }

    /** Forgets everyone (we left or lost the room) and returns them. */
    List<Participant> clear() {
        List<Participant> all = all();
        byNick.clear();
        return all;
    }

    /** An occupant's presence: tells every linked channel when one joins or leaves. */
    void seen(String nick, String occupantJid, boolean available, Collection<String> channels, AdapterContext context) {
        if (available) {
            joined(nick, occupantJid).ifPresent(p -> channels.forEach(c -> context.participantJoined(c, p)));
        } else {
            left(nick).ifPresent(p -> channels.forEach(c -> context.participantLeft(c, p)));
        }
    }

    /** We are out of the room: everyone leaves every linked channel. */
    void forgetAll(Collection<String> channels, AdapterContext context) {
        for (Participant p : clear()) {
            channels.forEach(c -> context.participantLeft(c, p));
        }
    }
}
