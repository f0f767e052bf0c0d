package org.sigbridge.xmpp;

import java.util.Set;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0045 §6.5: disco#items on a room JID lists its occupants (as {@code room/nick} items) without
 * joining it; where the service keeps that list private, the occupant count in the room's disco#info
 * (§6.4, {@code muc#roominfo_occupants}) answers instead. A room that does not exist answers
 * {@code item-not-found}: nobody there. Blocking, bounded
 * by the connection's reply timeout: request threads only.
 */
final class PresenceProbe {

    private static final Logger log = LoggerFactory.getLogger(PresenceProbe.class);

    private PresenceProbe() {
    }

    /** Whether an occupant other than ours sits in {@code room}. */
    static boolean anyoneIn(XMPPTCPConnection conn, EntityBareJid room, Set<String> ownNicks) {
        try {
            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(conn);
            DiscoverItems items = disco.discoverItems(room);
            for (DiscoverItems.Item item : items.getItems()) {
                Jid jid = item.getEntityID();
                String nick = jid.getResourceOrNull() == null ? item.getName() : jid.getResourceOrNull().toString();
                if (nick == null || !ownNicks.contains(nick)) {
                    return true;
                }
            }
            // Services that keep occupant lists private (Prosody) still count them: XEP-0045 §6.4
            // muc#roominfo_occupants in the room's disco#info form.
            DataForm form = DataForm.from(disco.discoverInfo(room));
            FormField occupants = form == null ? null : form.getField("muc#roominfo_occupants");
            if (occupants == null || occupants.getFirstValue() == null) {
                return false;
            }
            return Integer.parseInt(occupants.getFirstValue().trim()) > ownNicks.size();
        } catch (XMPPException.XMPPErrorException e) {
            return false; // item-not-found: no such room; forbidden: hidden occupants — both "nobody we can see"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (SmackException | NumberFormatException e) {
            log.debug("presence probe of {}: {}", room, e.toString());
            return false;
        }
    }
}
