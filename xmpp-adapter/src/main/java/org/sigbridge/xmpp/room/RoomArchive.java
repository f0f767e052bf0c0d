package org.sigbridge.xmpp.room;

import java.util.Set;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.xmpp.config.NoStoreMode;
import org.sigbridge.xmpp.config.NoStoreMode.RoomArchiving;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one room archives its messages, as its disco#info says, and so whether our groupchat messages carry the
 * XEP-0334 {@code <no-store/>} hint ({@link NoStoreMode}; docs/design.md §4.2). A room archives when its
 * disco#info lists a Message Archive Management feature ({@code urn:xmpp:mam:2}, or an older {@code urn:xmpp:mam:*},
 * XEP-0313) or names public logs ({@code muc#roominfo_logs} in its XEP-0045 {@code muc#roominfo} form). With {@code no-store: auto}
 * the room is asked after every join and again when it announces a configuration change (XEP-0045 §10.2.1: status
 * 104, or 170/171 for logging turned on or off); until an answer comes, and when it does not come, the hint is
 * sent. With {@code always} or {@code never} the room is never asked.
 *
 * <p>Threading: {@link #groupchatHint} and {@link #privateHint} on any thread (hub threads map envelopes); the
 * rest on the worker, the question itself on a request thread (never Smack's reader thread).
 */
final class RoomArchive {

    private static final Logger log = LoggerFactory.getLogger(MucRoomBinding.class);
    /** XEP-0045 §10.2.1 status codes after which the room is asked again: 104 configuration changed, 170/171 logging on/off. */
    private static final Set<Integer> CONFIG_CHANGED = Set.of(104, 170, 171);

    private final EntityBareJid room;
    private final RoomServices s;
    private final NoStoreMode mode;
    private volatile RoomArchiving archiving = RoomArchiving.UNKNOWN;
    private int question; // worker-confined: answers to earlier questions are stale

    RoomArchive(EntityBareJid room, RoomServices services) {
        this.room = room;
        this.s = services;
        this.mode = services.settings().noStore();
    }

    /** Any thread: whether a groupchat message to the room carries the hint now. */
    boolean groupchatHint() {
        return mode.groupchat(archiving);
    }

    /** Any thread: whether a private message (XEP-0045 §7.5) through the room carries the hint. */
    boolean privateHint() {
        return mode.privateMessage();
    }

    /** Worker: joined through {@code conn}; asks the room with {@code no-store: auto}. */
    void ask(XMPPConnection conn) {
        if (mode != NoStoreMode.AUTO || conn == null) {
            return;
        }
        int asked = ++question;
        s.onRequests(() -> {
            RoomArchiving answer = probe(conn, room);
            s.onWorker(() -> answered(asked, answer));
        });
    }

    /** Worker: the membership dropped; what the room said may change before the rejoin asks again. */
    void forget() {
        question++;
        archiving = RoomArchiving.UNKNOWN;
    }

    /** Worker: a groupchat message from the room itself announcing a configuration change is a reason to ask again. */
    static boolean announcesChange(Message message) {
        if (message.getFrom() == null || message.getFrom().hasResource()) {
            return false;
        }
        MUCUser user = MUCUser.from(message);
        return user != null && user.getStatus().stream().anyMatch(status -> CONFIG_CHANGED.contains(status.getCode()));
    }

    private void answered(int asked, RoomArchiving answer) {
        if (asked != question) {
            return;
        }
        if (answer != archiving) {
            log.debug("{}: room {} {}: no-store hint {}", s.adapter(), room, answer == RoomArchiving.YES ? "archives"
                    : answer == RoomArchiving.NO ? "does not archive" : "did not say whether it archives", mode.groupchat(answer) ? "on" : "off");
        }
        archiving = answer;
    }

    /** Request thread: the room's disco#info, bounded by the connection's reply timeout ({@code request-timeout}). */
    static RoomArchiving probe(XMPPConnection conn, EntityBareJid room) {
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(conn).discoverInfo(room);
            return archives(info) ? RoomArchiving.YES : RoomArchiving.NO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RoomArchiving.UNKNOWN;
        } catch (XMPPException.XMPPErrorException | SmackException e) {
            log.debug("disco#info of {}: {}", room, e.toString());
            return RoomArchiving.UNKNOWN;
        }
    }

    /** Whether a room's disco#info says it keeps messages: an MAM feature (XEP-0313) or public logs (XEP-0045). */
    static boolean archives(DiscoverInfo info) {
        if (info.getFeatures().stream().anyMatch(f -> f.getVar() != null && f.getVar().startsWith("urn:xmpp:mam:"))) {
            return true;
        }
        DataForm form = DataForm.from(info);
        FormField logs = form == null ? null : form.getField("muc#roominfo_logs");
        return logs != null && logs.getFirstValue() != null && !logs.getFirstValue().isBlank();
    }
}
