package org.sigbridge.xmpp.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;

/**
 * The local participants a bridge announces in its occupant's MUC presence, so that other bridges in the
 * room can address them (conf/reference/xmpp.md, "Addressed delivery"):
 * {@code <participants xmlns="urn:sigbridge:signal:0"><participant channel="…" id="…" name="…"/>…</participants>}.
 * Every presence update carries the whole current list (XEP-0045 §7.7 presence changes are broadcast to the
 * room), so a receiver replaces what it knew of that occupant. At most {@link #MAX_ANNOUNCED} entries, to
 * keep the presence small; participants beyond that are not addressable from other bridges. Pure; thread-safe.
 */
public final class BridgeParticipants {

    public static final String ELEMENT = "participants";
    public static final String CHILD = "participant";
    /** Entries per presence at most. */
    public static final int MAX_ANNOUNCED = 64;

    private BridgeParticipants() {
    }

    /**
     * One participant of a bridge, on one channel of the room.
     *
     * @param channel the exact channel name
     * @param id      the participant id, which addressed envelopes name
     * @param name    what to show
     */
    public record Announced(String channel, String id, String name) {
        public Announced {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** The presence extension for {@code participants}, the first {@link #MAX_ANNOUNCED} of them; values XML cannot carry are left out. */
    public static ExtensionElement element(Collection<Announced> participants) {
        StandardExtensionElement.Builder b = StandardExtensionElement.builder(ELEMENT, SignalElement.NAMESPACE);
        int n = 0;
        for (Announced a : participants) {
            if (n == MAX_ANNOUNCED) {
                break;
            }
            if (XmlChars.allValid(a.channel()) && XmlChars.allValid(a.id()) && XmlChars.allValid(a.name())) {
                b.addElement(StandardExtensionElement.builder(CHILD, SignalElement.NAMESPACE)
                        .addAttribute("channel", a.channel()).addAttribute("id", a.id()).addAttribute("name", a.name()).build());
                n++;
            }
        }
        return b.build();
    }

    /** What an occupant's presence announces: empty when it has no such element (a native client); malformed entries are skipped. */
    public static List<Announced> from(Presence presence) {
        ExtensionElement e = presence.getExtensionElement(ELEMENT, SignalElement.NAMESPACE);
        if (!(e instanceof StandardExtensionElement list)) {
            return List.of();
        }
        List<StandardExtensionElement> children = list.getElements(CHILD, SignalElement.NAMESPACE);
        if (children == null) {
            return List.of(); // an empty element: Smack gives null, not an empty list
        }
        List<Announced> out = new ArrayList<>();
        for (StandardExtensionElement p : children) {
            String channel = p.getAttributeValue("channel");
            String id = p.getAttributeValue("id");
            String name = p.getAttributeValue("name");
            if (channel != null && !channel.isEmpty() && id != null && !id.isEmpty() && out.size() < MAX_ANNOUNCED) {
                out.add(new Announced(channel, id, name == null ? id : name));
            }
        }
        return out;
    }
}
