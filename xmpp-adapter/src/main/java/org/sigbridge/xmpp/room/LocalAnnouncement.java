package org.sigbridge.xmpp.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.sigbridge.spi.Participant;
import org.sigbridge.xmpp.mapping.BridgeParticipants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The linked channels' local participants of one room, announced in our occupant's presence (XEP-0045 §7.7,
 * {@link BridgeParticipants}) so that other bridges in the room can address them. One presence per burst of joins
 * and leaves: {@link #changed} says when the caller must queue an announcement.
 *
 * <p>Threading: the adapter's worker thread, except the queued flag, which any thread may read.
 */
final class LocalAnnouncement {

    private static final Logger log = LoggerFactory.getLogger(LocalAnnouncement.class);

    private final Map<String, Set<BridgeParticipants.Announced>> local = new LinkedHashMap<>();
    private final AtomicBoolean queued = new AtomicBoolean();

    /**
     * Worker: a local participant joined or left {@code channel}.
     *
     * @return whether the set changed and no announcement is queued yet: the caller queues one
     */
    boolean changed(String channel, Participant participant, boolean joined) {
        BridgeParticipants.Announced a = new BridgeParticipants.Announced(channel, participant.id(), participant.name());
        boolean changed = joined ? local.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(a)
                : local.getOrDefault(channel, Set.of()).contains(a) && local.get(channel).remove(a);
        if (local.containsKey(channel) && local.get(channel).isEmpty()) {
            local.remove(channel);
        }
        return changed && queued.compareAndSet(false, true);
    }

    /** Worker: whether any local participant is to be announced. */
    boolean isEmpty() {
        return local.isEmpty();
    }

    /**
     * Worker: the queued announcement runs; sends our occupant's presence with every local participant when
     * {@code conn} and {@code nick} are given (the room is joined), else only clears the queue flag (the join
     * announces).
     */
    void announce(XMPPTCPConnection conn, EntityBareJid room, String nick, String adapter) {
        queued.set(false);
        if (conn == null || nick == null) {
            return;
        }
        List<BridgeParticipants.Announced> all = new ArrayList<>();
        local.values().forEach(all::addAll);
        try {
            conn.sendStanza(conn.getStanzaFactory().buildPresenceStanza()
                    .to(JidCreate.entityFullFrom(room, Resourcepart.from(nick)))
                    .addExtension(BridgeParticipants.element(all))
                    .build());
        } catch (SmackException.NotConnectedException e) {
            // the session's offline event follows; the rejoin announces again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (XmppStringprepException e) {
            log.warn("{}: cannot announce participants in {}: {}", adapter, room, e.toString());
        }
    }
}
